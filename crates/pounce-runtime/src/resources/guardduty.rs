//! Amazon GuardDuty resources.

use serde_json::Value;

crate::resource! {
    /// A GuardDuty detector of one region (`AWS.GuardDuty.Detector`):
    /// `GetDetector` plus `GetMasterAccount`, with Panther's common resource
    /// fields.
    pub struct GuardDutyDetector("AWS.GuardDuty.Detector") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "CreatedAt" => created_at: String,
        "Features" => features: Vec<GuardDutyFeature>,
        "FindingPublishingFrequency" => finding_publishing_frequency: String,
        "Master" => master: GuardDutyMaster,
        "ServiceRole" => service_role: String,
        "Status" => status: String,
        "UpdatedAt" => updated_at: String,
    }
}

crate::resource! {
    /// Account-wide GuardDuty metadata (`AWS.GuardDuty.Detector.Meta`), one
    /// per account: the resource IDs of the detectors of every region.
    pub struct GuardDutyDetectorMeta("AWS.GuardDuty.Detector.Meta") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "Detectors" => detectors: Vec<String>,
    }
}

crate::object! {
    /// A protection plan of a detector (`DetectorFeatureConfigurationResult`).
    pub struct GuardDutyFeature {
        "AdditionalConfiguration" => additional_configuration: Vec<GuardDutyFeatureAdditionalConfiguration>,
        "Name" => name: String,
        "Status" => status: String,
        "UpdatedAt" => updated_at: String,
    }
}

crate::object! {
    /// An additional configuration of a protection plan
    /// (`DetectorAdditionalConfigurationResult`).
    pub struct GuardDutyFeatureAdditionalConfiguration {
        "Name" => name: String,
        "Status" => status: String,
        "UpdatedAt" => updated_at: String,
    }
}

crate::object! {
    /// The administrator account of a member account (`Master`).
    pub struct GuardDutyMaster {
        "AccountId" => account_id: String,
        "InvitationId" => invitation_id: String,
        "InvitedAt" => invited_at: String,
        "RelationshipStatus" => relationship_status: String,
    }
}
