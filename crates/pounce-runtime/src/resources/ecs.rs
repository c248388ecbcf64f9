//! Amazon ECS resources.

use serde_json::Value;

crate::resource! {
    /// An ECS cluster (`AWS.ECS.Cluster`): `DescribeClusters` (`Cluster`)
    /// plus its services and tasks, with Panther's common resource fields.
    pub struct EcsCluster("AWS.ECS.Cluster") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "ActiveServicesCount" => active_services_count: i64,
        "Attachments" => attachments: Vec<EcsAttachment>,
        "AttachmentsStatus" => attachments_status: String,
        "CapacityProviders" => capacity_providers: Vec<String>,
        "ClusterArn" => cluster_arn: String,
        "ClusterName" => cluster_name: String,
        "Configuration" => configuration: EcsClusterConfiguration,
        "DefaultCapacityProviderStrategy" => default_capacity_provider_strategy: Vec<EcsCapacityProviderStrategyItem>,
        "PendingTasksCount" => pending_tasks_count: i64,
        "RegisteredContainerInstancesCount" => registered_container_instances_count: i64,
        "RunningTasksCount" => running_tasks_count: i64,
        "ServiceConnectDefaults" => service_connect_defaults: EcsServiceConnectDefaults,
        /// `DescribeServices` objects (Panther's poller) or service names (its docs).
        "Services" => services: Value,
        "Settings" => settings: Vec<EcsClusterSetting>,
        "Statistics" => statistics: Vec<EcsKeyValuePair>,
        "Status" => status: String,
        /// `DescribeTasks` objects (Panther's poller) or task ARNs (its docs).
        "Tasks" => tasks: Value,
    }
}

crate::object! {
    /// A resource attached to a cluster (`Attachment`).
    pub struct EcsAttachment {
        "Details" => details: Vec<EcsKeyValuePair>,
        "Id" => id: String,
        "Status" => status: String,
        "Type" => type_: String,
    }
}

crate::object! {
    /// A name and value (`KeyValuePair`).
    pub struct EcsKeyValuePair {
        "Name" => name: String,
        "Value" => value: String,
    }
}

crate::object! {
    /// The execute-command and storage configuration of a cluster
    /// (`ClusterConfiguration`).
    pub struct EcsClusterConfiguration {
        "ExecuteCommandConfiguration" => execute_command_configuration: EcsExecuteCommandConfiguration,
        "ManagedStorageConfiguration" => managed_storage_configuration: EcsManagedStorageConfiguration,
    }
}

crate::object! {
    /// The execute-command configuration (`ExecuteCommandConfiguration`).
    pub struct EcsExecuteCommandConfiguration {
        "KmsKeyId" => kms_key_id: String,
        "LogConfiguration" => log_configuration: EcsExecuteCommandLogConfiguration,
        "Logging" => logging: String,
    }
}

crate::object! {
    /// Where execute-command sessions are logged
    /// (`ExecuteCommandLogConfiguration`).
    pub struct EcsExecuteCommandLogConfiguration {
        "CloudWatchEncryptionEnabled" => cloud_watch_encryption_enabled: bool,
        "CloudWatchLogGroupName" => cloud_watch_log_group_name: String,
        "S3BucketName" => s3_bucket_name: String,
        "S3EncryptionEnabled" => s3_encryption_enabled: bool,
        "S3KeyPrefix" => s3_key_prefix: String,
    }
}

crate::object! {
    /// The KMS keys of managed storage (`ManagedStorageConfiguration`).
    pub struct EcsManagedStorageConfiguration {
        "FargateEphemeralStorageKmsKeyId" => fargate_ephemeral_storage_kms_key_id: String,
        "KmsKeyId" => kms_key_id: String,
    }
}

crate::object! {
    /// A capacity provider of a strategy (`CapacityProviderStrategyItem`).
    pub struct EcsCapacityProviderStrategyItem {
        "Base" => base: i64,
        "CapacityProvider" => capacity_provider: String,
        "Weight" => weight: i64,
    }
}

crate::object! {
    /// The default Service Connect namespace (`ClusterServiceConnectDefaults`).
    pub struct EcsServiceConnectDefaults {
        "Namespace" => namespace: String,
    }
}

crate::object! {
    /// A cluster setting, e.g. `containerInsights` (`ClusterSetting`).
    pub struct EcsClusterSetting {
        "Name" => name: String,
        "Value" => value: String,
    }
}
