//! Account-level resources.

use serde_json::Value;

crate::resource! {
    /// The IAM password policy of an account (`AWS.PasswordPolicy`):
    /// `GetAccountPasswordPolicy` (`PasswordPolicy`) plus Panther's `AnyExist`
    /// flag and common resource fields.
    pub struct PasswordPolicy("AWS.PasswordPolicy") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AllowUsersToChangePassword" => allow_users_to_change_password: bool,
        /// Whether the account has a password policy at all.
        "AnyExist" => any_exist: bool,
        "ExpirePasswords" => expire_passwords: bool,
        "HardExpiry" => hard_expiry: bool,
        "MaxPasswordAge" => max_password_age: i64,
        "MinimumPasswordLength" => minimum_password_length: i64,
        "PasswordReusePrevention" => password_reuse_prevention: i64,
        "RequireLowercaseCharacters" => require_lowercase_characters: bool,
        "RequireNumbers" => require_numbers: bool,
        "RequireSymbols" => require_symbols: bool,
        "RequireUppercaseCharacters" => require_uppercase_characters: bool,
    }
}
