//! AWS KMS resources.

use serde_json::Value;

crate::resource! {
    /// A KMS key (`AWS.KMS.Key`): `DescribeKey` (`KeyMetadata`) plus
    /// `GetKeyRotationStatus` and `GetKeyPolicy`, with Panther's common
    /// resource fields.
    pub struct KmsKey("AWS.KMS.Key") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AWSAccountId" => aws_account_id: String,
        "CloudHsmClusterId" => cloud_hsm_cluster_id: String,
        "CreationDate" => creation_date: String,
        "CustomKeyStoreId" => custom_key_store_id: String,
        "CustomerMasterKeySpec" => customer_master_key_spec: String,
        "DeletionDate" => deletion_date: String,
        "Description" => description: String,
        "Enabled" => enabled: bool,
        "EncryptionAlgorithms" => encryption_algorithms: Vec<String>,
        "ExpirationModel" => expiration_model: String,
        "KeyAgreementAlgorithms" => key_agreement_algorithms: Vec<String>,
        "KeyId" => key_id: String,
        "KeyManager" => key_manager: String,
        "KeyRotationEnabled" => key_rotation_enabled: bool,
        "KeySpec" => key_spec: String,
        "KeyState" => key_state: String,
        "KeyUsage" => key_usage: String,
        "MacAlgorithms" => mac_algorithms: Vec<String>,
        "MultiRegion" => multi_region: bool,
        "MultiRegionConfiguration" => multi_region_configuration: KmsMultiRegionConfiguration,
        "Origin" => origin: String,
        "PendingDeletionWindowInDays" => pending_deletion_window_in_days: i64,
        /// The key policy: a JSON string (as polled) or an object.
        "Policy" => policy: Value,
        "SigningAlgorithms" => signing_algorithms: Vec<String>,
        "ValidTo" => valid_to: String,
        "XksKeyConfiguration" => xks_key_configuration: KmsXksKeyConfiguration,
    }
}

crate::object! {
    /// The primary and replicas of a multi-Region key
    /// (`MultiRegionConfiguration`).
    pub struct KmsMultiRegionConfiguration {
        "MultiRegionKeyType" => multi_region_key_type: String,
        "PrimaryKey" => primary_key: KmsMultiRegionKey,
        "ReplicaKeys" => replica_keys: Vec<KmsMultiRegionKey>,
    }
}

crate::object! {
    /// A key of a multi-Region key set (`MultiRegionKey`).
    pub struct KmsMultiRegionKey {
        "Arn" => arn: String,
        "Region" => region: String,
    }
}

crate::object! {
    /// The external key of an XKS key (`XksKeyConfigurationType`).
    pub struct KmsXksKeyConfiguration {
        "Id" => id: String,
    }
}
