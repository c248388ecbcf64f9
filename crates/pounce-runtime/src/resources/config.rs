//! AWS Config resources.

use serde_json::Value;

crate::resource! {
    /// An AWS Config configuration recorder of one region
    /// (`AWS.Config.Recorder`): `DescribeConfigurationRecorders` plus
    /// `DescribeConfigurationRecorderStatus`, with Panther's common resource
    /// fields. Resources come flat (`Name`, `RecordingGroup`, `RoleARN` at the
    /// top) or with the recorder nested under `Recorder`.
    pub struct ConfigRecorder("AWS.Config.Recorder") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "Recorder" => recorder: ConfigurationRecorder,
        "RecordingGroup" => recording_group: ConfigRecordingGroup,
        "RecordingMode" => recording_mode: ConfigRecordingMode,
        "RoleARN" => role_arn: String,
        "Status" => status: ConfigRecorderStatus,
    }
}

crate::resource! {
    /// Account-wide AWS Config metadata (`AWS.Config.Recorder.Meta`), one per
    /// account: Panther's aggregate of the recorders of every region.
    pub struct ConfigRecorderMeta("AWS.Config.Recorder.Meta") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "GlobalRecorderCount" => global_recorder_count: i64,
        "Recorders" => recorders: Vec<String>,
    }
}

crate::object! {
    /// A configuration recorder (`ConfigurationRecorder`).
    pub struct ConfigurationRecorder {
        "Arn" => arn: String,
        "Name" => name: String,
        "RecordingGroup" => recording_group: ConfigRecordingGroup,
        "RecordingMode" => recording_mode: ConfigRecordingMode,
        "RecordingScope" => recording_scope: String,
        "RoleARN" => role_arn: String,
        "ServicePrincipal" => service_principal: String,
    }
}

crate::object! {
    /// Which resource types a recorder records (`RecordingGroup`).
    pub struct ConfigRecordingGroup {
        "AllSupported" => all_supported: bool,
        "ExclusionByResourceTypes" => exclusion_by_resource_types: ConfigExclusionByResourceTypes,
        "IncludeGlobalResourceTypes" => include_global_resource_types: bool,
        "RecordingStrategy" => recording_strategy: ConfigRecordingStrategy,
        "ResourceTypes" => resource_types: Vec<String>,
    }
}

crate::object! {
    /// Resource types a recorder excludes (`ExclusionByResourceTypes`).
    pub struct ConfigExclusionByResourceTypes {
        "ResourceTypes" => resource_types: Vec<String>,
    }
}

crate::object! {
    /// The recording strategy of a recording group (`RecordingStrategy`).
    pub struct ConfigRecordingStrategy {
        "UseOnly" => use_only: String,
    }
}

crate::object! {
    /// How often a recorder records (`RecordingMode`).
    pub struct ConfigRecordingMode {
        "RecordingFrequency" => recording_frequency: String,
        "RecordingModeOverrides" => recording_mode_overrides: Vec<ConfigRecordingModeOverride>,
    }
}

crate::object! {
    /// A per-resource-type recording frequency (`RecordingModeOverride`).
    pub struct ConfigRecordingModeOverride {
        "Description" => description: String,
        "RecordingFrequency" => recording_frequency: String,
        "ResourceTypes" => resource_types: Vec<String>,
    }
}

crate::object! {
    /// The status of a recorder (`ConfigurationRecorderStatus`).
    pub struct ConfigRecorderStatus {
        "Arn" => arn: String,
        "LastErrorCode" => last_error_code: String,
        "LastErrorMessage" => last_error_message: String,
        "LastStartTime" => last_start_time: String,
        "LastStatus" => last_status: String,
        "LastStatusChangeTime" => last_status_change_time: String,
        "LastStopTime" => last_stop_time: String,
        "Name" => name: String,
        "Recording" => recording: bool,
        "ServicePrincipal" => service_principal: String,
    }
}
