//! AWS CloudFormation resources.

use serde_json::Value;

crate::resource! {
    /// A CloudFormation stack (`AWS.CloudFormation.Stack`): `DescribeStacks`
    /// (`Stack`) plus the drifted resources of `DescribeStackResourceDrifts`,
    /// with Panther's common resource fields.
    pub struct CloudFormationStack("AWS.CloudFormation.Stack") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn_: String,
        "ARN" => arn: String,
        "Id" => id_: String,
        "ID" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id_: String,
        "ResourceID" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "Capabilities" => capabilities: Vec<String>,
        "ChangeSetId" => change_set_id: String,
        "CreationTime" => creation_time: String,
        "DeletionMode" => deletion_mode: String,
        "DeletionTime" => deletion_time: String,
        "Description" => description: String,
        "DetailedStatus" => detailed_status: String,
        "DisableRollback" => disable_rollback: bool,
        "DriftInformation" => drift_information: StackDriftInformation,
        "Drifts" => drifts: Vec<StackResourceDrift>,
        "EnableTerminationProtection" => enable_termination_protection: bool,
        "LastUpdatedTime" => last_updated_time: String,
        "NotificationARNs" => notification_arns: Vec<String>,
        "Outputs" => outputs: Vec<StackOutput>,
        "Parameters" => parameters: Vec<StackParameter>,
        "ParentId" => parent_id: String,
        "RetainExceptOnCreate" => retain_except_on_create: bool,
        "RoleARN" => role_arn: String,
        "RollbackConfiguration" => rollback_configuration: StackRollbackConfiguration,
        "RootId" => root_id: String,
        "StackId" => stack_id: String,
        "StackName" => stack_name: String,
        "StackStatus" => stack_status: String,
        "StackStatusReason" => stack_status_reason: String,
        "TimeoutInMinutes" => timeout_in_minutes: i64,
    }
}

crate::object! {
    /// Whether a stack differs from its template (`StackDriftInformation`).
    pub struct StackDriftInformation {
        "LastCheckTimestamp" => last_check_timestamp: String,
        "StackDriftStatus" => stack_drift_status: String,
    }
}

crate::object! {
    /// A drifted resource of a stack (`StackResourceDrift`).
    pub struct StackResourceDrift {
        "ActualProperties" => actual_properties: String,
        "DriftStatusReason" => drift_status_reason: String,
        "ExpectedProperties" => expected_properties: String,
        "LogicalResourceId" => logical_resource_id: String,
        "ModuleInfo" => module_info: StackModuleInfo,
        "PhysicalResourceId" => physical_resource_id: String,
        "PhysicalResourceIdContext" => physical_resource_id_context: Vec<PhysicalResourceIdContextKeyValuePair>,
        "PropertyDifferences" => property_differences: Vec<StackPropertyDifference>,
        "ResourceType" => resource_type: String,
        "StackId" => stack_id: String,
        "StackResourceDriftStatus" => stack_resource_drift_status: String,
        "Timestamp" => timestamp: String,
    }
}

crate::object! {
    /// The module a drifted resource comes from (`ModuleInfo`).
    pub struct StackModuleInfo {
        "LogicalIdHierarchy" => logical_id_hierarchy: String,
        "TypeHierarchy" => type_hierarchy: String,
    }
}

crate::object! {
    /// A key of a resource's physical ID context
    /// (`PhysicalResourceIdContextKeyValuePair`).
    pub struct PhysicalResourceIdContextKeyValuePair {
        "Key" => key: String,
        "Value" => value: String,
    }
}

crate::object! {
    /// A property that differs from its expected value (`PropertyDifference`).
    pub struct StackPropertyDifference {
        "ActualValue" => actual_value: String,
        "DifferenceType" => difference_type: String,
        "ExpectedValue" => expected_value: String,
        "PropertyPath" => property_path: String,
    }
}

crate::object! {
    /// A stack output (`Output`).
    pub struct StackOutput {
        "Description" => description: String,
        "ExportName" => export_name: String,
        "OutputKey" => output_key: String,
        "OutputValue" => output_value: String,
    }
}

crate::object! {
    /// A stack parameter (`Parameter`).
    pub struct StackParameter {
        "ParameterKey" => parameter_key: String,
        "ParameterValue" => parameter_value: String,
        "ResolvedValue" => resolved_value: String,
        "UsePreviousValue" => use_previous_value: bool,
    }
}

crate::object! {
    /// The rollback triggers of a stack (`RollbackConfiguration`).
    pub struct StackRollbackConfiguration {
        "MonitoringTimeInMinutes" => monitoring_time_in_minutes: i64,
        "RollbackTriggers" => rollback_triggers: Vec<StackRollbackTrigger>,
    }
}

crate::object! {
    /// A rollback trigger (`RollbackTrigger`).
    pub struct StackRollbackTrigger {
        "Arn" => arn: String,
        "Type" => type_: String,
    }
}
