//! Amazon Redshift resources.

use serde_json::Value;

crate::resource! {
    /// A Redshift cluster (`AWS.Redshift.Cluster`): `DescribeClusters`
    /// (`Cluster`) plus `DescribeLoggingStatus`, with Panther's common
    /// resource fields.
    pub struct RedshiftCluster("AWS.Redshift.Cluster") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AllowVersionUpgrade" => allow_version_upgrade: bool,
        "AquaConfiguration" => aqua_configuration: RedshiftAquaConfiguration,
        "AutomatedSnapshotRetentionPeriod" => automated_snapshot_retention_period: i64,
        "AvailabilityZone" => availability_zone: String,
        "AvailabilityZoneRelocationStatus" => availability_zone_relocation_status: String,
        "ClusterAvailabilityStatus" => cluster_availability_status: String,
        "ClusterCreateTime" => cluster_create_time: String,
        "ClusterIdentifier" => cluster_identifier: String,
        "ClusterNamespaceArn" => cluster_namespace_arn: String,
        "ClusterNodes" => cluster_nodes: Vec<RedshiftClusterNode>,
        "ClusterParameterGroups" => cluster_parameter_groups: Vec<RedshiftClusterParameterGroupStatus>,
        "ClusterPublicKey" => cluster_public_key: String,
        "ClusterRevisionNumber" => cluster_revision_number: String,
        "ClusterSecurityGroups" => cluster_security_groups: Vec<RedshiftClusterSecurityGroupMembership>,
        "ClusterSnapshotCopyStatus" => cluster_snapshot_copy_status: RedshiftClusterSnapshotCopyStatus,
        "ClusterStatus" => cluster_status: String,
        "ClusterSubnetGroupName" => cluster_subnet_group_name: String,
        "ClusterVersion" => cluster_version: String,
        "DBName" => db_name: String,
        "DataTransferProgress" => data_transfer_progress: RedshiftDataTransferProgress,
        "DefaultIamRoleArn" => default_iam_role_arn: String,
        "DeferredMaintenanceWindows" => deferred_maintenance_windows: Vec<RedshiftDeferredMaintenanceWindow>,
        "ElasticIpStatus" => elastic_ip_status: RedshiftElasticIpStatus,
        "ElasticResizeNumberOfNodeOptions" => elastic_resize_number_of_node_options: String,
        "Encrypted" => encrypted: bool,
        "Endpoint" => endpoint: RedshiftEndpoint,
        "EnhancedVpcRouting" => enhanced_vpc_routing: bool,
        "ExpectedNextSnapshotScheduleTime" => expected_next_snapshot_schedule_time: String,
        "ExpectedNextSnapshotScheduleTimeStatus" => expected_next_snapshot_schedule_time_status: String,
        "HsmStatus" => hsm_status: RedshiftHsmStatus,
        "IamRoles" => iam_roles: Vec<RedshiftClusterIamRole>,
        "IpAddressType" => ip_address_type: String,
        "KmsKeyId" => kms_key_id: String,
        "LoggingStatus" => logging_status: RedshiftLoggingStatus,
        "MaintenanceTrackName" => maintenance_track_name: String,
        "ManualSnapshotRetentionPeriod" => manual_snapshot_retention_period: i64,
        "MasterPasswordSecretArn" => master_password_secret_arn: String,
        "MasterPasswordSecretKmsKeyId" => master_password_secret_kms_key_id: String,
        "MasterUsername" => master_username: String,
        "ModifyStatus" => modify_status: String,
        "MultiAZ" => multi_az: String,
        "NextMaintenanceWindowStartTime" => next_maintenance_window_start_time: String,
        "NodeType" => node_type: String,
        "NumberOfNodes" => number_of_nodes: i64,
        "PendingActions" => pending_actions: Vec<String>,
        "PendingModifiedValues" => pending_modified_values: RedshiftPendingModifiedValues,
        "PreferredMaintenanceWindow" => preferred_maintenance_window: String,
        "PubliclyAccessible" => publicly_accessible: bool,
        "ResizeInfo" => resize_info: RedshiftResizeInfo,
        "RestoreStatus" => restore_status: RedshiftRestoreStatus,
        "SnapshotScheduleIdentifier" => snapshot_schedule_identifier: String,
        "SnapshotScheduleState" => snapshot_schedule_state: String,
        "TotalStorageCapacityInMegaBytes" => total_storage_capacity_in_mega_bytes: i64,
        "VpcId" => vpc_id: String,
        "VpcSecurityGroups" => vpc_security_groups: Vec<RedshiftVpcSecurityGroupMembership>,
    }
}

crate::object! {
    /// The AQUA setting of a cluster (`AquaConfiguration`).
    pub struct RedshiftAquaConfiguration {
        "AquaConfigurationStatus" => aqua_configuration_status: String,
        "AquaStatus" => aqua_status: String,
    }
}

crate::object! {
    /// A node of a cluster (`ClusterNode`).
    pub struct RedshiftClusterNode {
        "NodeRole" => node_role: String,
        "PrivateIPAddress" => private_ip_address: String,
        "PublicIPAddress" => public_ip_address: String,
    }
}

crate::object! {
    /// A parameter group of a cluster (`ClusterParameterGroupStatus`).
    pub struct RedshiftClusterParameterGroupStatus {
        "ClusterParameterStatusList" => cluster_parameter_status_list: Vec<RedshiftClusterParameterStatus>,
        "ParameterApplyStatus" => parameter_apply_status: String,
        "ParameterGroupName" => parameter_group_name: String,
    }
}

crate::object! {
    /// The apply status of a parameter (`ClusterParameterStatus`).
    pub struct RedshiftClusterParameterStatus {
        "ParameterApplyErrorDescription" => parameter_apply_error_description: String,
        "ParameterApplyStatus" => parameter_apply_status: String,
        "ParameterName" => parameter_name: String,
    }
}

crate::object! {
    /// A cluster security group of a cluster
    /// (`ClusterSecurityGroupMembership`).
    pub struct RedshiftClusterSecurityGroupMembership {
        "ClusterSecurityGroupName" => cluster_security_group_name: String,
        "Status" => status: String,
    }
}

crate::object! {
    /// Cross-region snapshot copy of a cluster (`ClusterSnapshotCopyStatus`).
    pub struct RedshiftClusterSnapshotCopyStatus {
        "DestinationRegion" => destination_region: String,
        "ManualSnapshotRetentionPeriod" => manual_snapshot_retention_period: i64,
        "RetentionPeriod" => retention_period: i64,
        "SnapshotCopyGrantName" => snapshot_copy_grant_name: String,
    }
}

crate::object! {
    /// Data transfer progress of a cluster (`DataTransferProgress`).
    pub struct RedshiftDataTransferProgress {
        "CurrentRateInMegaBytesPerSecond" => current_rate_in_mega_bytes_per_second: f64,
        "DataTransferredInMegaBytes" => data_transferred_in_mega_bytes: i64,
        "ElapsedTimeInSeconds" => elapsed_time_in_seconds: i64,
        "EstimatedTimeToCompletionInSeconds" => estimated_time_to_completion_in_seconds: i64,
        "Status" => status: String,
        "TotalDataInMegaBytes" => total_data_in_mega_bytes: i64,
    }
}

crate::object! {
    /// A deferred maintenance window (`DeferredMaintenanceWindow`).
    pub struct RedshiftDeferredMaintenanceWindow {
        "DeferMaintenanceEndTime" => defer_maintenance_end_time: String,
        "DeferMaintenanceIdentifier" => defer_maintenance_identifier: String,
        "DeferMaintenanceStartTime" => defer_maintenance_start_time: String,
    }
}

crate::object! {
    /// The elastic IP of a cluster (`ElasticIpStatus`).
    pub struct RedshiftElasticIpStatus {
        "ElasticIp" => elastic_ip: String,
        "Status" => status: String,
    }
}

crate::object! {
    /// The connection endpoint of a cluster (`Endpoint`).
    pub struct RedshiftEndpoint {
        "Address" => address: String,
        "Port" => port: i64,
    }
}

crate::object! {
    /// The HSM settings of a cluster (`HsmStatus`).
    pub struct RedshiftHsmStatus {
        "HsmClientCertificateIdentifier" => hsm_client_certificate_identifier: String,
        "HsmConfigurationIdentifier" => hsm_configuration_identifier: String,
        "Status" => status: String,
    }
}

crate::object! {
    /// An IAM role of a cluster (`ClusterIamRole`).
    pub struct RedshiftClusterIamRole {
        "ApplyStatus" => apply_status: String,
        "IamRoleArn" => iam_role_arn: String,
    }
}

crate::object! {
    /// The audit logging of a cluster (`DescribeLoggingStatus` output).
    pub struct RedshiftLoggingStatus {
        "BucketName" => bucket_name: String,
        "LastFailureMessage" => last_failure_message: String,
        "LastFailureTime" => last_failure_time: String,
        "LastSuccessfulDeliveryTime" => last_successful_delivery_time: String,
        "LogDestinationType" => log_destination_type: String,
        "LogExports" => log_exports: Vec<String>,
        "LoggingEnabled" => logging_enabled: bool,
        "S3KeyPrefix" => s3_key_prefix: String,
    }
}

crate::object! {
    /// Changes pending for a cluster (`PendingModifiedValues`).
    pub struct RedshiftPendingModifiedValues {
        "AutomatedSnapshotRetentionPeriod" => automated_snapshot_retention_period: i64,
        "ClusterIdentifier" => cluster_identifier: String,
        "ClusterType" => cluster_type: String,
        "ClusterVersion" => cluster_version: String,
        "EncryptionType" => encryption_type: String,
        "EnhancedVpcRouting" => enhanced_vpc_routing: bool,
        "MaintenanceTrackName" => maintenance_track_name: String,
        "MasterUserPassword" => master_user_password: String,
        "NodeType" => node_type: String,
        "NumberOfNodes" => number_of_nodes: i64,
        "PubliclyAccessible" => publicly_accessible: bool,
    }
}

crate::object! {
    /// A resize of a cluster (`ResizeInfo`).
    pub struct RedshiftResizeInfo {
        "AllowCancelResize" => allow_cancel_resize: bool,
        "ResizeType" => resize_type: String,
    }
}

crate::object! {
    /// The restore of a cluster from a snapshot (`RestoreStatus`).
    pub struct RedshiftRestoreStatus {
        "CurrentRestoreRateInMegaBytesPerSecond" => current_restore_rate_in_mega_bytes_per_second: f64,
        "ElapsedTimeInSeconds" => elapsed_time_in_seconds: i64,
        "EstimatedTimeToCompletionInSeconds" => estimated_time_to_completion_in_seconds: i64,
        "ProgressInMegaBytes" => progress_in_mega_bytes: i64,
        "SnapshotSizeInMegaBytes" => snapshot_size_in_mega_bytes: i64,
        "Status" => status: String,
    }
}

crate::object! {
    /// A VPC security group of a cluster (`VpcSecurityGroupMembership`).
    pub struct RedshiftVpcSecurityGroupMembership {
        "Status" => status: String,
        "VpcSecurityGroupId" => vpc_security_group_id: String,
    }
}
