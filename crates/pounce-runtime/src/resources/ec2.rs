//! Amazon EC2 resources.

use serde_json::Value;

crate::resource! {
    /// An Amazon Machine Image (`AWS.EC2.AMI`): `DescribeImages` output plus
    /// Panther's common resource fields.
    pub struct Ami("AWS.EC2.AMI") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "ARN" => arn: String,
        "ID" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceID" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "Architecture" => architecture: String,
        "BlockDeviceMappings" => block_device_mappings: Vec<BlockDeviceMapping>,
        "BootMode" => boot_mode: String,
        "CreationDate" => creation_date: String,
        "DeprecationTime" => deprecation_time: String,
        "Description" => description: String,
        "EnaSupport" => ena_support: bool,
        "Hypervisor" => hypervisor: String,
        "ImageId" => image_id: String,
        "ImageLocation" => image_location: String,
        "ImageOwnerAlias" => image_owner_alias: String,
        "ImageType" => image_type: String,
        "ImdsSupport" => imds_support: String,
        "KernelId" => kernel_id: String,
        "OwnerId" => owner_id: String,
        "Platform" => platform: String,
        "PlatformDetails" => platform_details: String,
        "ProductCodes" => product_codes: Vec<ProductCode>,
        "Public" => public: bool,
        "RamdiskId" => ramdisk_id: String,
        "RootDeviceName" => root_device_name: String,
        "RootDeviceType" => root_device_type: String,
        "SriovNetSupport" => sriov_net_support: String,
        "State" => state: String,
        "StateReason" => state_reason: StateReason,
        "TpmSupport" => tpm_support: String,
        "UsageOperation" => usage_operation: String,
        "VirtualizationType" => virtualization_type: String,
    }
}

crate::object! {
    /// A block device mapping of an AMI or instance.
    pub struct BlockDeviceMapping {
        "DeviceName" => device_name: String,
        "Ebs" => ebs: EbsBlockDevice,
        "NoDevice" => no_device: String,
        "VirtualName" => virtual_name: String,
    }
}

crate::object! {
    /// The EBS volume of a block device mapping.
    pub struct EbsBlockDevice {
        "DeleteOnTermination" => delete_on_termination: bool,
        "Encrypted" => encrypted: bool,
        "Iops" => iops: i64,
        "KmsKeyId" => kms_key_id: String,
        "OutpostArn" => outpost_arn: String,
        "SnapshotId" => snapshot_id: String,
        "Throughput" => throughput: i64,
        "VolumeSize" => volume_size: i64,
        "VolumeType" => volume_type: String,
    }
}

crate::object! {
    /// A product code of an AMI.
    pub struct ProductCode {
        "ProductCodeId" => product_code_id: String,
        "ProductCodeType" => product_code_type: String,
    }
}

crate::object! {
    /// Why an AMI is in its state.
    pub struct StateReason {
        "Code" => code: String,
        "Message" => message: String,
    }
}
