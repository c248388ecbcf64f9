//! Amazon RDS resources.

use serde_json::Value;

crate::resource! {
    /// An RDS DB instance (`AWS.RDS.Instance`): `DescribeDBInstances`
    /// (`DBInstance`) plus the attributes of its manual snapshots
    /// (`DescribeDBSnapshotAttributes`), with Panther's common resource fields.
    pub struct RdsInstance("AWS.RDS.Instance") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "ActivityStreamKinesisStreamName" => activity_stream_kinesis_stream_name: String,
        "ActivityStreamKmsKeyId" => activity_stream_kms_key_id: String,
        "ActivityStreamMode" => activity_stream_mode: String,
        "ActivityStreamStatus" => activity_stream_status: String,
        "AllocatedStorage" => allocated_storage: i64,
        "AssociatedRoles" => associated_roles: Vec<RdsDbInstanceRole>,
        "AutoMinorVersionUpgrade" => auto_minor_version_upgrade: bool,
        "AutomaticRestartTime" => automatic_restart_time: String,
        "AvailabilityZone" => availability_zone: String,
        "AwsBackupRecoveryPointArn" => aws_backup_recovery_point_arn: String,
        "BackupRetentionPeriod" => backup_retention_period: i64,
        "BackupTarget" => backup_target: String,
        "CACertificateIdentifier" => ca_certificate_identifier: String,
        "CertificateDetails" => certificate_details: RdsCertificateDetails,
        "CharacterSetName" => character_set_name: String,
        "CopyTagsToSnapshot" => copy_tags_to_snapshot: bool,
        "CustomerOwnedIpEnabled" => customer_owned_ip_enabled: bool,
        "DBClusterIdentifier" => db_cluster_identifier: String,
        "DBInstanceArn" => db_instance_arn: String,
        "DBInstanceClass" => db_instance_class: String,
        "DBInstanceIdentifier" => db_instance_identifier: String,
        "DBInstanceStatus" => db_instance_status: String,
        "DBName" => db_name: String,
        "DBParameterGroups" => db_parameter_groups: Vec<RdsDbParameterGroupStatus>,
        "DBSecurityGroups" => db_security_groups: Vec<RdsDbSecurityGroupMembership>,
        "DBSubnetGroup" => db_subnet_group: RdsDbSubnetGroup,
        "DbInstancePort" => db_instance_port: i64,
        "DbiResourceId" => dbi_resource_id: String,
        "DedicatedLogVolume" => dedicated_log_volume: bool,
        "DeletionProtection" => deletion_protection: bool,
        "DomainMemberships" => domain_memberships: Vec<RdsDomainMembership>,
        "EnabledCloudwatchLogsExports" => enabled_cloudwatch_logs_exports: Vec<String>,
        "Endpoint" => endpoint: RdsEndpoint,
        "Engine" => engine: String,
        "EngineLifecycleSupport" => engine_lifecycle_support: String,
        "EngineVersion" => engine_version: String,
        "EnhancedMonitoringResourceArn" => enhanced_monitoring_resource_arn: String,
        "IAMDatabaseAuthenticationEnabled" => iam_database_authentication_enabled: bool,
        "InstanceCreateTime" => instance_create_time: String,
        "Iops" => iops: i64,
        "KmsKeyId" => kms_key_id: String,
        "LatestRestorableTime" => latest_restorable_time: String,
        "LicenseModel" => license_model: String,
        "ListenerEndpoint" => listener_endpoint: RdsEndpoint,
        "MasterUserSecret" => master_user_secret: RdsMasterUserSecret,
        "MasterUsername" => master_username: String,
        "MaxAllocatedStorage" => max_allocated_storage: i64,
        "MonitoringInterval" => monitoring_interval: i64,
        "MonitoringRoleArn" => monitoring_role_arn: String,
        "MultiAZ" => multi_az: bool,
        "NcharCharacterSetName" => nchar_character_set_name: String,
        "NetworkType" => network_type: String,
        "OptionGroupMemberships" => option_group_memberships: Vec<RdsOptionGroupMembership>,
        "PendingModifiedValues" => pending_modified_values: RdsPendingModifiedValues,
        "PerformanceInsightsEnabled" => performance_insights_enabled: bool,
        "PerformanceInsightsKMSKeyId" => performance_insights_kms_key_id: String,
        "PerformanceInsightsRetentionPeriod" => performance_insights_retention_period: i64,
        "PreferredBackupWindow" => preferred_backup_window: String,
        "PreferredMaintenanceWindow" => preferred_maintenance_window: String,
        "ProcessorFeatures" => processor_features: Vec<RdsProcessorFeature>,
        "PromotionTier" => promotion_tier: i64,
        "PubliclyAccessible" => publicly_accessible: bool,
        "ReadReplicaDBClusterIdentifiers" => read_replica_db_cluster_identifiers: Vec<String>,
        "ReadReplicaDBInstanceIdentifiers" => read_replica_db_instance_identifiers: Vec<String>,
        "ReadReplicaSourceDBClusterIdentifier" => read_replica_source_db_cluster_identifier: String,
        "ReadReplicaSourceDBInstanceIdentifier" => read_replica_source_db_instance_identifier: String,
        "ReplicaMode" => replica_mode: String,
        "SecondaryAvailabilityZone" => secondary_availability_zone: String,
        "SnapshotAttributes" => snapshot_attributes: Vec<RdsDbSnapshotAttributesResult>,
        "StatusInfos" => status_infos: Vec<RdsDbInstanceStatusInfo>,
        "StorageEncrypted" => storage_encrypted: bool,
        "StorageThroughput" => storage_throughput: i64,
        "StorageType" => storage_type: String,
        "TdeCredentialArn" => tde_credential_arn: String,
        "Timezone" => timezone: String,
        "VpcSecurityGroups" => vpc_security_groups: Vec<RdsVpcSecurityGroupMembership>,
    }
}

crate::object! {
    /// An IAM role associated with a DB instance (`DBInstanceRole`).
    pub struct RdsDbInstanceRole {
        "FeatureName" => feature_name: String,
        "RoleArn" => role_arn: String,
        "Status" => status: String,
    }
}

crate::object! {
    /// The server certificate of a DB instance (`CertificateDetails`).
    pub struct RdsCertificateDetails {
        "CAIdentifier" => ca_identifier: String,
        "ValidTill" => valid_till: String,
    }
}

crate::object! {
    /// A DB parameter group of an instance (`DBParameterGroupStatus`).
    pub struct RdsDbParameterGroupStatus {
        "DBParameterGroupName" => db_parameter_group_name: String,
        "ParameterApplyStatus" => parameter_apply_status: String,
    }
}

crate::object! {
    /// A DB security group of an instance (`DBSecurityGroupMembership`).
    pub struct RdsDbSecurityGroupMembership {
        "DBSecurityGroupName" => db_security_group_name: String,
        "Status" => status: String,
    }
}

crate::object! {
    /// The DB subnet group of an instance (`DBSubnetGroup`).
    pub struct RdsDbSubnetGroup {
        "DBSubnetGroupArn" => db_subnet_group_arn: String,
        "DBSubnetGroupDescription" => db_subnet_group_description: String,
        "DBSubnetGroupName" => db_subnet_group_name: String,
        "SubnetGroupStatus" => subnet_group_status: String,
        "Subnets" => subnets: Vec<RdsSubnet>,
        "SupportedNetworkTypes" => supported_network_types: Vec<String>,
        "VpcId" => vpc_id: String,
    }
}

crate::object! {
    /// A subnet of a DB subnet group (`Subnet`).
    pub struct RdsSubnet {
        "SubnetAvailabilityZone" => subnet_availability_zone: RdsAvailabilityZone,
        "SubnetIdentifier" => subnet_identifier: String,
        "SubnetOutpost" => subnet_outpost: RdsOutpost,
        "SubnetStatus" => subnet_status: String,
    }
}

crate::object! {
    /// An Availability Zone (`AvailabilityZone`).
    pub struct RdsAvailabilityZone {
        "Name" => name: String,
    }
}

crate::object! {
    /// An Outpost (`Outpost`).
    pub struct RdsOutpost {
        "Arn" => arn: String,
    }
}

crate::object! {
    /// An Active Directory domain of a DB instance (`DomainMembership`).
    pub struct RdsDomainMembership {
        "AuthSecretArn" => auth_secret_arn: String,
        "DnsIps" => dns_ips: Vec<String>,
        "Domain" => domain: String,
        "FQDN" => fqdn: String,
        "IAMRoleName" => iam_role_name: String,
        "OU" => ou: String,
        "Status" => status: String,
    }
}

crate::object! {
    /// The connection endpoint of a DB instance (`Endpoint`).
    pub struct RdsEndpoint {
        "Address" => address: String,
        "HostedZoneId" => hosted_zone_id: String,
        "Port" => port: i64,
    }
}

crate::object! {
    /// The Secrets Manager secret of the master user password
    /// (`MasterUserSecret`).
    pub struct RdsMasterUserSecret {
        "KmsKeyId" => kms_key_id: String,
        "SecretArn" => secret_arn: String,
        "SecretStatus" => secret_status: String,
    }
}

crate::object! {
    /// An option group of a DB instance (`OptionGroupMembership`).
    pub struct RdsOptionGroupMembership {
        "OptionGroupName" => option_group_name: String,
        "Status" => status: String,
    }
}

crate::object! {
    /// Changes pending for a DB instance (`PendingModifiedValues`).
    pub struct RdsPendingModifiedValues {
        "AllocatedStorage" => allocated_storage: i64,
        "AutomationMode" => automation_mode: String,
        "BackupRetentionPeriod" => backup_retention_period: i64,
        "CACertificateIdentifier" => ca_certificate_identifier: String,
        "DBInstanceClass" => db_instance_class: String,
        "DBInstanceIdentifier" => db_instance_identifier: String,
        "DBSubnetGroupName" => db_subnet_group_name: String,
        "DedicatedLogVolume" => dedicated_log_volume: bool,
        "Engine" => engine: String,
        "EngineVersion" => engine_version: String,
        "IAMDatabaseAuthenticationEnabled" => iam_database_authentication_enabled: bool,
        "Iops" => iops: i64,
        "LicenseModel" => license_model: String,
        "MasterUserPassword" => master_user_password: String,
        "MultiAZ" => multi_az: bool,
        "MultiTenant" => multi_tenant: bool,
        "PendingCloudwatchLogsExports" => pending_cloudwatch_logs_exports: RdsPendingCloudwatchLogsExports,
        "Port" => port: i64,
        "ProcessorFeatures" => processor_features: Vec<RdsProcessorFeature>,
        "ResumeFullAutomationModeTime" => resume_full_automation_mode_time: String,
        "StorageThroughput" => storage_throughput: i64,
        "StorageType" => storage_type: String,
    }
}

crate::object! {
    /// Pending changes to the log types exported to CloudWatch Logs
    /// (`PendingCloudwatchLogsExports`).
    pub struct RdsPendingCloudwatchLogsExports {
        "LogTypesToDisable" => log_types_to_disable: Vec<String>,
        "LogTypesToEnable" => log_types_to_enable: Vec<String>,
    }
}

crate::object! {
    /// A processor feature of a DB instance class (`ProcessorFeature`).
    pub struct RdsProcessorFeature {
        "Name" => name: String,
        "Value" => value: String,
    }
}

crate::object! {
    /// The attributes of a manual DB snapshot (`DBSnapshotAttributesResult`).
    pub struct RdsDbSnapshotAttributesResult {
        "DBSnapshotAttributes" => db_snapshot_attributes: Vec<RdsDbSnapshotAttribute>,
        "DBSnapshotIdentifier" => db_snapshot_identifier: String,
    }
}

crate::object! {
    /// An attribute of a manual DB snapshot, e.g. `restore`
    /// (`DBSnapshotAttribute`).
    pub struct RdsDbSnapshotAttribute {
        "AttributeName" => attribute_name: String,
        /// Account IDs or `all`: a list, or a bare string in some resources.
        "AttributeValues" => attribute_values: Value,
    }
}

crate::object! {
    /// A status of a read replica (`DBInstanceStatusInfo`).
    pub struct RdsDbInstanceStatusInfo {
        "Message" => message: String,
        "Normal" => normal: bool,
        "Status" => status: String,
        "StatusType" => status_type: String,
    }
}

crate::object! {
    /// A VPC security group of a DB instance (`VpcSecurityGroupMembership`).
    pub struct RdsVpcSecurityGroupMembership {
        "Status" => status: String,
        "VpcSecurityGroupId" => vpc_security_group_id: String,
    }
}
