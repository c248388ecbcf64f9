//! Amazon S3 resources.

use serde_json::Value;

crate::resource! {
    /// An S3 bucket (`AWS.S3.Bucket`): `ListBuckets` (`Bucket`) plus the
    /// bucket's encryption, ACL, lifecycle, logging, MFA delete, object lock,
    /// policy, public access block and versioning settings, with Panther's
    /// common resource fields.
    pub struct S3Bucket("AWS.S3.Bucket") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "CreationDate" => creation_date: String,
        "EncryptionRules" => encryption_rules: Vec<S3EncryptionRule>,
        "Grants" => grants: Vec<S3Grant>,
        "LifecycleRules" => lifecycle_rules: Vec<S3LifecycleRule>,
        "Location" => location: String,
        /// Server access logging: a `LoggingEnabled` object or a status string.
        "LoggingPolicy" => logging_policy: Value,
        "MFADelete" => mfa_delete: String,
        "ObjectLockConfiguration" => object_lock_configuration: S3ObjectLockConfiguration,
        "Owner" => owner: S3Owner,
        /// The bucket policy: a JSON string (as polled) or an object.
        "Policy" => policy: Value,
        "PublicAccessBlockConfiguration" => public_access_block_configuration: S3PublicAccessBlockConfiguration,
        "Versioning" => versioning: String,
    }
}

crate::object! {
    /// A default encryption rule (`ServerSideEncryptionRule`).
    pub struct S3EncryptionRule {
        "ApplyServerSideEncryptionByDefault" => apply_server_side_encryption_by_default: S3ServerSideEncryptionByDefault,
        "BucketKeyEnabled" => bucket_key_enabled: bool,
    }
}

crate::object! {
    /// The default encryption of new objects
    /// (`ServerSideEncryptionByDefault`).
    pub struct S3ServerSideEncryptionByDefault {
        "KMSMasterKeyID" => kms_master_key_id: String,
        "SSEAlgorithm" => sse_algorithm: String,
    }
}

crate::object! {
    /// An ACL grant (`Grant`).
    pub struct S3Grant {
        "Grantee" => grantee: S3Grantee,
        "Permission" => permission: String,
    }
}

crate::object! {
    /// The grantee of an ACL grant (`Grantee`).
    pub struct S3Grantee {
        "DisplayName" => display_name: String,
        "EmailAddress" => email_address: String,
        "ID" => id: String,
        "Type" => type_: String,
        "URI" => uri: String,
    }
}

crate::object! {
    /// A lifecycle rule (`LifecycleRule`).
    pub struct S3LifecycleRule {
        "AbortIncompleteMultipartUpload" => abort_incomplete_multipart_upload: S3AbortIncompleteMultipartUpload,
        "Expiration" => expiration: S3LifecycleExpiration,
        "Filter" => filter: S3LifecycleRuleFilter,
        "ID" => id: String,
        "NoncurrentVersionExpiration" => noncurrent_version_expiration: S3NoncurrentVersionExpiration,
        "NoncurrentVersionTransitions" => noncurrent_version_transitions: Vec<S3NoncurrentVersionTransition>,
        "Prefix" => prefix: String,
        "Status" => status: String,
        "Transitions" => transitions: Vec<S3Transition>,
    }
}

crate::object! {
    /// When incomplete multipart uploads are aborted
    /// (`AbortIncompleteMultipartUpload`).
    pub struct S3AbortIncompleteMultipartUpload {
        "DaysAfterInitiation" => days_after_initiation: i64,
    }
}

crate::object! {
    /// When objects expire (`LifecycleExpiration`).
    pub struct S3LifecycleExpiration {
        "Date" => date: String,
        "Days" => days: i64,
        "ExpiredObjectDeleteMarker" => expired_object_delete_marker: bool,
    }
}

crate::object! {
    /// The objects a lifecycle rule applies to (`LifecycleRuleFilter`).
    pub struct S3LifecycleRuleFilter {
        "And" => and: S3LifecycleRuleAndOperator,
        "ObjectSizeGreaterThan" => object_size_greater_than: i64,
        "ObjectSizeLessThan" => object_size_less_than: i64,
        "Prefix" => prefix: String,
        "Tag" => tag: S3Tag,
    }
}

crate::object! {
    /// A conjunction of lifecycle filters (`LifecycleRuleAndOperator`).
    pub struct S3LifecycleRuleAndOperator {
        "ObjectSizeGreaterThan" => object_size_greater_than: i64,
        "ObjectSizeLessThan" => object_size_less_than: i64,
        "Prefix" => prefix: String,
        "Tags" => tags: Vec<S3Tag>,
    }
}

crate::object! {
    /// An object tag of a filter (`Tag`).
    pub struct S3Tag {
        "Key" => key: String,
        "Value" => value: String,
    }
}

crate::object! {
    /// When noncurrent versions expire (`NoncurrentVersionExpiration`).
    pub struct S3NoncurrentVersionExpiration {
        "NewerNoncurrentVersions" => newer_noncurrent_versions: i64,
        "NoncurrentDays" => noncurrent_days: i64,
    }
}

crate::object! {
    /// When noncurrent versions change storage class
    /// (`NoncurrentVersionTransition`).
    pub struct S3NoncurrentVersionTransition {
        "NewerNoncurrentVersions" => newer_noncurrent_versions: i64,
        "NoncurrentDays" => noncurrent_days: i64,
        "StorageClass" => storage_class: String,
    }
}

crate::object! {
    /// When objects change storage class (`Transition`).
    pub struct S3Transition {
        "Date" => date: String,
        "Days" => days: i64,
        "StorageClass" => storage_class: String,
    }
}

crate::object! {
    /// The object lock settings of a bucket (`ObjectLockConfiguration`).
    pub struct S3ObjectLockConfiguration {
        "ObjectLockEnabled" => object_lock_enabled: String,
        "Rule" => rule: S3ObjectLockRule,
    }
}

crate::object! {
    /// The default object lock rule (`ObjectLockRule`).
    pub struct S3ObjectLockRule {
        "DefaultRetention" => default_retention: S3DefaultRetention,
    }
}

crate::object! {
    /// The default retention of new objects (`DefaultRetention`).
    pub struct S3DefaultRetention {
        "Days" => days: i64,
        "Mode" => mode: String,
        "Years" => years: i64,
    }
}

crate::object! {
    /// The owner of a bucket (`Owner`).
    pub struct S3Owner {
        "DisplayName" => display_name: String,
        "ID" => id: String,
    }
}

crate::object! {
    /// The bucket's public access block (`PublicAccessBlockConfiguration`).
    pub struct S3PublicAccessBlockConfiguration {
        "BlockPublicAcls" => block_public_acls: bool,
        "BlockPublicPolicy" => block_public_policy: bool,
        "IgnorePublicAcls" => ignore_public_acls: bool,
        "RestrictPublicBuckets" => restrict_public_buckets: bool,
    }
}
