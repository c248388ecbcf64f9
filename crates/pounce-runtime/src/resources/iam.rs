//! AWS IAM resources.

use serde_json::Value;

crate::resource! {
    /// An IAM group (`AWS.IAM.Group`): `GetGroup` (`Group` and its `Users`)
    /// plus its inline and attached managed policies, with Panther's common
    /// resource fields.
    pub struct IamGroup("AWS.IAM.Group") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "CreateDate" => create_date: String,
        "GroupId" => group_id: String,
        "GroupName" => group_name: String,
        /// Policy name to JSON policy document (a list in some resources).
        "InlinePolicies" => inline_policies: Value,
        "ManagedPolicyARNs" => managed_policy_arns: Vec<String>,
        "ManagedPolicyNames" => managed_policy_names: Vec<String>,
        "Path" => path: String,
        "Users" => users: Vec<IamGroupUser>,
    }
}

crate::object! {
    /// A member of a group (`User` of `GetGroup`).
    pub struct IamGroupUser {
        "Arn" => arn: String,
        "CreateDate" => create_date: String,
        "PasswordLastUsed" => password_last_used: String,
        "Path" => path: String,
        "PermissionsBoundary" => permissions_boundary: IamPermissionsBoundary,
        "Tags" => tags: Value,
        "UserId" => user_id: String,
        "UserName" => user_name: String,
    }
}

crate::resource! {
    /// A managed IAM policy (`AWS.IAM.Policy`): `GetPolicy` (`Policy`) plus
    /// its default version's document (`GetPolicyVersion`) and the entities
    /// it is attached to (`ListEntitiesForPolicy`), with Panther's common
    /// resource fields.
    pub struct IamPolicy("AWS.IAM.Policy") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AttachmentCount" => attachment_count: i64,
        "CreateDate" => create_date: String,
        "DefaultVersionId" => default_version_id: String,
        "Description" => description: String,
        "Entities" => entities: IamPolicyEntities,
        "IsAttachable" => is_attachable: bool,
        "Path" => path: String,
        "PermissionsBoundaryUsageCount" => permissions_boundary_usage_count: i64,
        /// The policy document: a JSON string (as polled) or an object.
        "PolicyDocument" => policy_document: Value,
        "PolicyId" => policy_id: String,
        "PolicyName" => policy_name: String,
        "UpdateDate" => update_date: String,
    }
}

crate::object! {
    /// The entities a policy is attached to (`ListEntitiesForPolicy` output).
    pub struct IamPolicyEntities {
        "PolicyGroups" => policy_groups: Vec<IamPolicyGroup>,
        "PolicyRoles" => policy_roles: Vec<IamPolicyRole>,
        "PolicyUsers" => policy_users: Vec<IamPolicyUser>,
    }
}

crate::object! {
    /// A group a policy is attached to (`PolicyGroup`).
    pub struct IamPolicyGroup {
        "GroupId" => group_id: String,
        "GroupName" => group_name: String,
    }
}

crate::object! {
    /// A role a policy is attached to (`PolicyRole`).
    pub struct IamPolicyRole {
        "RoleId" => role_id: String,
        "RoleName" => role_name: String,
    }
}

crate::object! {
    /// A user a policy is attached to (`PolicyUser`).
    pub struct IamPolicyUser {
        "UserId" => user_id: String,
        "UserName" => user_name: String,
    }
}

crate::resource! {
    /// An IAM role (`AWS.IAM.Role`): `GetRole` (`Role`) plus its inline and
    /// attached managed policies, with Panther's common resource fields.
    pub struct IamRole("AWS.IAM.Role") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        /// The trust policy: a JSON string or an already parsed object.
        "AssumeRolePolicyDocument" => assume_role_policy_document: Value,
        "CreateDate" => create_date: String,
        "Description" => description: String,
        /// Test-fixture flag some published policies read.
        "DoesNotHavePermission" => does_not_have_permission: bool,
        /// Test-fixture flag some published policies read.
        "HasPermission" => has_permission: bool,
        /// Policy name to JSON policy document.
        "InlinePolicies" => inline_policies: Value,
        /// Test-fixture flag some published policies read.
        "IsUnitTest" => is_unit_test: bool,
        "ManagedPolicyARNs" => managed_policy_arns: Vec<String>,
        "ManagedPolicyNames" => managed_policy_names: Vec<String>,
        "MaxSessionDuration" => max_session_duration: i64,
        "Path" => path: String,
        "PermissionsBoundary" => permissions_boundary: IamPermissionsBoundary,
        "RoleId" => role_id: String,
        "RoleLastUsed" => role_last_used: IamRoleLastUsed,
        "RoleName" => role_name: String,
    }
}

crate::object! {
    /// When and where a role was last used (`RoleLastUsed`).
    pub struct IamRoleLastUsed {
        "LastUsedDate" => last_used_date: String,
        "Region" => region: String,
    }
}

crate::object! {
    /// The permissions boundary of a user or role
    /// (`AttachedPermissionsBoundary`).
    pub struct IamPermissionsBoundary {
        "PermissionsBoundaryArn" => permissions_boundary_arn: String,
        "PermissionsBoundaryType" => permissions_boundary_type: String,
    }
}

crate::resource! {
    /// The root user of an account (`AWS.IAM.RootUser`): its credential
    /// report row (`GetCredentialReport`) and virtual MFA device
    /// (`ListVirtualMFADevices`), with Panther's common resource fields.
    pub struct IamRootUser("AWS.IAM.RootUser") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn_: String,
        "ARN" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "CreateDate" => create_date: String,
        "CredentialReport" => credential_report: IamCredentialReport,
        "UserID" => user_id: String,
        "UserName" => user_name: String,
        "VirtualMFA" => virtual_mfa: VirtualMfaDevice,
    }
}

crate::resource! {
    /// An IAM user (`AWS.IAM.User`): `GetUser` (`User`) plus its credential
    /// report row, groups, inline and managed policies and virtual MFA
    /// device, with Panther's common resource fields.
    pub struct IamUser("AWS.IAM.User") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn_: String,
        "ARN" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "CreateDate" => create_date: String,
        "CredentialReport" => credential_report: IamCredentialReport,
        "Groups" => groups: Vec<IamUserGroup>,
        /// Policy name to JSON policy document.
        "InlinePolicies" => inline_policies: Value,
        "InlinePolicyNames" => inline_policy_names: Vec<String>,
        "ManagedPolicyNames" => managed_policy_names: Vec<String>,
        "PasswordLastUsed" => password_last_used: String,
        "Path" => path: String,
        "PermissionsBoundary" => permissions_boundary: IamPermissionsBoundary,
        "UserID" => user_id: String,
        "UserId" => user_id_: String,
        "UserName" => user_name: String,
        "VirtualMFA" => virtual_mfa: VirtualMfaDevice,
    }
}

crate::object! {
    /// A group of a user (`Group` of `ListGroupsForUser`).
    pub struct IamUserGroup {
        "Arn" => arn: String,
        "CreateDate" => create_date: String,
        "GroupId" => group_id: String,
        "GroupName" => group_name: String,
        "Path" => path: String,
        "TimeCreated" => time_created: String,
    }
}

crate::object! {
    /// A user's row of the IAM credential report (`GetCredentialReport`),
    /// with timestamps as RFC 3339 strings and booleans parsed.
    pub struct IamCredentialReport {
        "ARN" => arn: String,
        "AccessKey1Active" => access_key1_active: bool,
        "AccessKey1LastRotated" => access_key1_last_rotated: String,
        "AccessKey1LastUsedDate" => access_key1_last_used_date: String,
        "AccessKey1LastUsedRegion" => access_key1_last_used_region: String,
        "AccessKey1LastUsedService" => access_key1_last_used_service: String,
        "AccessKey2Active" => access_key2_active: bool,
        "AccessKey2LastRotated" => access_key2_last_rotated: String,
        "AccessKey2LastUsedDate" => access_key2_last_used_date: String,
        "AccessKey2LastUsedRegion" => access_key2_last_used_region: String,
        "AccessKey2LastUsedService" => access_key2_last_used_service: String,
        "Cert1Active" => cert1_active: bool,
        "Cert1LastRotated" => cert1_last_rotated: String,
        "Cert2Active" => cert2_active: bool,
        "Cert2LastRotated" => cert2_last_rotated: String,
        "MfaActive" => mfa_active: bool,
        "PasswordEnabled" => password_enabled: bool,
        "PasswordLastChanged" => password_last_changed: String,
        "PasswordLastUsed" => password_last_used: String,
        "PasswordNextRotation" => password_next_rotation: String,
        "UserCreationTime" => user_creation_time: String,
        "UserName" => user_name: String,
    }
}

crate::object! {
    /// A virtual MFA device (`VirtualMFADevice`).
    pub struct VirtualMfaDevice {
        "EnableDate" => enable_date: String,
        "SerialNumber" => serial_number: String,
    }
}
