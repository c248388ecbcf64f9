//! AWS CloudTrail resources.

use serde_json::Value;

crate::resource! {
    /// A CloudTrail trail (`AWS.CloudTrail`): `DescribeTrails` (`Trail`) plus
    /// `GetTrailStatus` and `GetEventSelectors`, with Panther's common
    /// resource fields.
    pub struct CloudTrail("AWS.CloudTrail") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AdvancedEventSelectors" => advanced_event_selectors: Vec<CloudTrailAdvancedEventSelector>,
        "CloudWatchLogsLogGroupArn" => cloud_watch_logs_log_group_arn: String,
        "CloudWatchLogsRoleArn" => cloud_watch_logs_role_arn: String,
        "EventSelectors" => event_selectors: Vec<CloudTrailEventSelector>,
        "HasCustomEventSelectors" => has_custom_event_selectors: bool,
        "HasInsightSelectors" => has_insight_selectors: bool,
        "HomeRegion" => home_region: String,
        "IncludeGlobalServiceEvents" => include_global_service_events: bool,
        "IsMultiRegionTrail" => is_multi_region_trail: bool,
        "IsOrganizationTrail" => is_organization_trail: bool,
        "KmsKeyId" => kms_key_id: String,
        "LogFileValidationEnabled" => log_file_validation_enabled: bool,
        "S3BucketName" => s3_bucket_name: String,
        "S3KeyPrefix" => s3_key_prefix: String,
        "SnsTopicARN" => sns_topic_arn: String,
        "SnsTopicName" => sns_topic_name: String,
        "Status" => status: CloudTrailStatus,
        "TrailARN" => trail_arn: String,
    }
}

crate::resource! {
    /// Account-wide CloudTrail metadata (`AWS.CloudTrail.Meta`), one per
    /// account: Panther's aggregate of `DescribeTrails` and `GetEventSelectors`
    /// over every region.
    pub struct CloudTrailMeta("AWS.CloudTrail.Meta") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "GlobalAdvancedEventSelectors" => global_advanced_event_selectors: Vec<CloudTrailAdvancedEventSelector>,
        "GlobalEventSelectors" => global_event_selectors: Vec<CloudTrailEventSelector>,
        "Trails" => trails: Vec<String>,
    }
}

crate::object! {
    /// A basic event selector (`EventSelector`).
    pub struct CloudTrailEventSelector {
        "DataResources" => data_resources: Vec<CloudTrailDataResource>,
        "ExcludeManagementEventSources" => exclude_management_event_sources: Vec<String>,
        "IncludeManagementEvents" => include_management_events: bool,
        "ReadWriteType" => read_write_type: String,
    }
}

crate::object! {
    /// The data events an event selector logs (`DataResource`).
    pub struct CloudTrailDataResource {
        "Type" => type_: String,
        "Values" => values: Vec<String>,
    }
}

crate::object! {
    /// An advanced event selector (`AdvancedEventSelector`).
    pub struct CloudTrailAdvancedEventSelector {
        "FieldSelectors" => field_selectors: Vec<CloudTrailAdvancedFieldSelector>,
        "Name" => name: String,
    }
}

crate::object! {
    /// A field condition of an advanced event selector
    /// (`AdvancedFieldSelector`).
    pub struct CloudTrailAdvancedFieldSelector {
        "EndsWith" => ends_with: Vec<String>,
        "Equals" => equals: Vec<String>,
        "Field" => field: String,
        "NotEndsWith" => not_ends_with: Vec<String>,
        "NotEquals" => not_equals: Vec<String>,
        "NotStartsWith" => not_starts_with: Vec<String>,
        "StartsWith" => starts_with: Vec<String>,
    }
}

crate::object! {
    /// The logging status of a trail (`GetTrailStatus` output).
    pub struct CloudTrailStatus {
        "IsLogging" => is_logging: bool,
        "LatestCloudWatchLogsDeliveryError" => latest_cloud_watch_logs_delivery_error: String,
        "LatestCloudWatchLogsDeliveryTime" => latest_cloud_watch_logs_delivery_time: String,
        "LatestDeliveryAttemptSucceeded" => latest_delivery_attempt_succeeded: String,
        "LatestDeliveryAttemptTime" => latest_delivery_attempt_time: String,
        "LatestDeliveryError" => latest_delivery_error: String,
        "LatestDeliveryTime" => latest_delivery_time: String,
        "LatestDigestDeliveryError" => latest_digest_delivery_error: String,
        "LatestDigestDeliveryTime" => latest_digest_delivery_time: String,
        "LatestNotificationAttemptSucceeded" => latest_notification_attempt_succeeded: String,
        "LatestNotificationAttemptTime" => latest_notification_attempt_time: String,
        "LatestNotificationError" => latest_notification_error: String,
        "LatestNotificationTime" => latest_notification_time: String,
        "StartLoggingTime" => start_logging_time: String,
        "StopLoggingTime" => stop_logging_time: String,
        "TimeLoggingStarted" => time_logging_started: String,
        "TimeLoggingStopped" => time_logging_stopped: String,
    }
}
