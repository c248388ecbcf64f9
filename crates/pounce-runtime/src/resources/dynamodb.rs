//! Amazon DynamoDB resources.

use serde_json::Value;

crate::resource! {
    /// A DynamoDB table (`AWS.DynamoDB.Table`): `DescribeTable`
    /// (`TableDescription`) plus `DescribeTimeToLive` and Application Auto
    /// Scaling's `DescribeScalableTargets`, with Panther's common resource
    /// fields.
    pub struct DynamoDbTable("AWS.DynamoDB.Table") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "ArchivalSummary" => archival_summary: DynamoDbArchivalSummary,
        "AttributeDefinitions" => attribute_definitions: Vec<DynamoDbAttributeDefinition>,
        "AutoScalingDescriptions" => auto_scaling_descriptions: Vec<DynamoDbScalableTarget>,
        "BillingModeSummary" => billing_mode_summary: DynamoDbBillingModeSummary,
        "CreationDateTime" => creation_date_time: String,
        "DeletionProtectionEnabled" => deletion_protection_enabled: bool,
        "GlobalSecondaryIndexes" => global_secondary_indexes: Vec<DynamoDbGlobalSecondaryIndex>,
        "GlobalTableVersion" => global_table_version: String,
        "ItemCount" => item_count: i64,
        "KeySchema" => key_schema: Vec<DynamoDbKeySchemaElement>,
        "LatestStreamArn" => latest_stream_arn: String,
        "LatestStreamLabel" => latest_stream_label: String,
        "LocalSecondaryIndexes" => local_secondary_indexes: Vec<DynamoDbLocalSecondaryIndex>,
        "OnDemandThroughput" => on_demand_throughput: DynamoDbOnDemandThroughput,
        "ProvisionedThroughput" => provisioned_throughput: DynamoDbProvisionedThroughput,
        "Replicas" => replicas: Vec<DynamoDbReplica>,
        "RestoreSummary" => restore_summary: DynamoDbRestoreSummary,
        "SSEDescription" => sse_description: DynamoDbSseDescription,
        "StreamSpecification" => stream_specification: DynamoDbStreamSpecification,
        "TableArn" => table_arn: String,
        "TableClassSummary" => table_class_summary: DynamoDbTableClassSummary,
        "TableId" => table_id: String,
        "TableName" => table_name: String,
        "TableSizeBytes" => table_size_bytes: i64,
        "TableStatus" => table_status: String,
        "TimeToLiveDescription" => time_to_live_description: DynamoDbTimeToLiveDescription,
    }
}

crate::object! {
    /// Why and when a table was archived (`ArchivalSummary`).
    pub struct DynamoDbArchivalSummary {
        "ArchivalBackupArn" => archival_backup_arn: String,
        "ArchivalDateTime" => archival_date_time: String,
        "ArchivalReason" => archival_reason: String,
    }
}

crate::object! {
    /// A key attribute of a table or index (`AttributeDefinition`).
    pub struct DynamoDbAttributeDefinition {
        "AttributeName" => attribute_name: String,
        "AttributeType" => attribute_type: String,
    }
}

crate::object! {
    /// An Application Auto Scaling target of a table or index
    /// (`ScalableTarget`).
    pub struct DynamoDbScalableTarget {
        "CreationTime" => creation_time: String,
        "MaxCapacity" => max_capacity: i64,
        "MinCapacity" => min_capacity: i64,
        "PredictedCapacity" => predicted_capacity: i64,
        "ResourceId" => resource_id: String,
        "RoleARN" => role_arn: String,
        "ScalableDimension" => scalable_dimension: String,
        "ScalableTargetARN" => scalable_target_arn: String,
        "ServiceNamespace" => service_namespace: String,
        "SuspendedState" => suspended_state: DynamoDbScalableTargetSuspendedState,
    }
}

crate::object! {
    /// Which scaling activities are suspended (`SuspendedState`).
    pub struct DynamoDbScalableTargetSuspendedState {
        "DynamicScalingInSuspended" => dynamic_scaling_in_suspended: bool,
        "DynamicScalingOutSuspended" => dynamic_scaling_out_suspended: bool,
        "ScheduledScalingSuspended" => scheduled_scaling_suspended: bool,
    }
}

crate::object! {
    /// The billing mode of a table (`BillingModeSummary`).
    pub struct DynamoDbBillingModeSummary {
        "BillingMode" => billing_mode: String,
        "LastUpdateToPayPerRequestDateTime" => last_update_to_pay_per_request_date_time: String,
    }
}

crate::object! {
    /// A global secondary index (`GlobalSecondaryIndexDescription`).
    pub struct DynamoDbGlobalSecondaryIndex {
        "Backfilling" => backfilling: bool,
        "IndexArn" => index_arn: String,
        "IndexName" => index_name: String,
        "IndexSizeBytes" => index_size_bytes: i64,
        "IndexStatus" => index_status: String,
        "ItemCount" => item_count: i64,
        "KeySchema" => key_schema: Vec<DynamoDbKeySchemaElement>,
        "OnDemandThroughput" => on_demand_throughput: DynamoDbOnDemandThroughput,
        "Projection" => projection: DynamoDbProjection,
        "ProvisionedThroughput" => provisioned_throughput: DynamoDbProvisionedThroughput,
    }
}

crate::object! {
    /// A local secondary index (`LocalSecondaryIndexDescription`).
    pub struct DynamoDbLocalSecondaryIndex {
        "IndexArn" => index_arn: String,
        "IndexName" => index_name: String,
        "IndexSizeBytes" => index_size_bytes: i64,
        "ItemCount" => item_count: i64,
        "KeySchema" => key_schema: Vec<DynamoDbKeySchemaElement>,
        "Projection" => projection: DynamoDbProjection,
    }
}

crate::object! {
    /// A key attribute and its role (`KeySchemaElement`).
    pub struct DynamoDbKeySchemaElement {
        "AttributeName" => attribute_name: String,
        "KeyType" => key_type: String,
    }
}

crate::object! {
    /// The attributes projected into an index (`Projection`).
    pub struct DynamoDbProjection {
        "NonKeyAttributes" => non_key_attributes: Vec<String>,
        "ProjectionType" => projection_type: String,
    }
}

crate::object! {
    /// The on-demand throughput limits (`OnDemandThroughput`).
    pub struct DynamoDbOnDemandThroughput {
        "MaxReadRequestUnits" => max_read_request_units: i64,
        "MaxWriteRequestUnits" => max_write_request_units: i64,
    }
}

crate::object! {
    /// The provisioned throughput (`ProvisionedThroughputDescription`).
    pub struct DynamoDbProvisionedThroughput {
        "LastDecreaseDateTime" => last_decrease_date_time: String,
        "LastIncreaseDateTime" => last_increase_date_time: String,
        "NumberOfDecreasesToday" => number_of_decreases_today: i64,
        "ReadCapacityUnits" => read_capacity_units: i64,
        "WriteCapacityUnits" => write_capacity_units: i64,
    }
}

crate::object! {
    /// A replica of a global table (`ReplicaDescription`).
    pub struct DynamoDbReplica {
        "KMSMasterKeyId" => kms_master_key_id: String,
        "RegionName" => region_name: String,
        "ReplicaInaccessibleDateTime" => replica_inaccessible_date_time: String,
        "ReplicaStatus" => replica_status: String,
        "ReplicaStatusDescription" => replica_status_description: String,
        "ReplicaStatusPercentProgress" => replica_status_percent_progress: String,
    }
}

crate::object! {
    /// Where a restored table came from (`RestoreSummary`).
    pub struct DynamoDbRestoreSummary {
        "RestoreDateTime" => restore_date_time: String,
        "RestoreInProgress" => restore_in_progress: bool,
        "SourceBackupArn" => source_backup_arn: String,
        "SourceTableArn" => source_table_arn: String,
    }
}

crate::object! {
    /// The server-side encryption of a table (`SSEDescription`).
    pub struct DynamoDbSseDescription {
        "InaccessibleEncryptionDateTime" => inaccessible_encryption_date_time: String,
        "KMSMasterKeyArn" => kms_master_key_arn: String,
        "SSEType" => sse_type: String,
        "Status" => status: String,
    }
}

crate::object! {
    /// The stream settings of a table (`StreamSpecification`).
    pub struct DynamoDbStreamSpecification {
        "StreamEnabled" => stream_enabled: bool,
        "StreamViewType" => stream_view_type: String,
    }
}

crate::object! {
    /// The table class of a table (`TableClassSummary`).
    pub struct DynamoDbTableClassSummary {
        "LastUpdateDateTime" => last_update_date_time: String,
        "TableClass" => table_class: String,
    }
}

crate::object! {
    /// The TTL settings of a table (`TimeToLiveDescription`).
    pub struct DynamoDbTimeToLiveDescription {
        "AttributeName" => attribute_name: String,
        "TimeToLiveStatus" => time_to_live_status: String,
    }
}
