//! Amazon CloudWatch Logs resources.

use serde_json::Value;

crate::resource! {
    /// A CloudWatch Logs log group (`AWS.CloudWatch.LogGroup`):
    /// `DescribeLogGroups` (`LogGroup`) plus `ListTagsForResource`, with
    /// Panther's common resource fields.
    pub struct CloudWatchLogGroup("AWS.CloudWatch.LogGroup") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn_: String,
        "ARN" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id_: String,
        "ResourceID" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "CreationTime" => creation_time: i64,
        "DataProtectionStatus" => data_protection_status: String,
        "InheritedProperties" => inherited_properties: Vec<String>,
        "KmsKeyId" => kms_key_id: String,
        "LogGroupArn" => log_group_arn: String,
        "LogGroupClass" => log_group_class: String,
        "LogGroupName" => log_group_name: String,
        "MetricFilterCount" => metric_filter_count: i64,
        "RetentionInDays" => retention_in_days: i64,
        "StoredBytes" => stored_bytes: i64,
    }
}
