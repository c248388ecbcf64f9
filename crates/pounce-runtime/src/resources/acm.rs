//! AWS Certificate Manager resources.

use serde_json::Value;

crate::resource! {
    /// An ACM certificate (`AWS.ACM.Certificate`): `DescribeCertificate`
    /// (`CertificateDetail`) plus `ListTagsForCertificate`, with Panther's
    /// common resource fields.
    pub struct AcmCertificate("AWS.ACM.Certificate") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "CertificateArn" => certificate_arn: String,
        "CertificateAuthorityArn" => certificate_authority_arn: String,
        "CreatedAt" => created_at: String,
        "Domain" => domain: String,
        "DomainName" => domain_name: String,
        "DomainValidationOptions" => domain_validation_options: Vec<AcmDomainValidation>,
        "ExtendedKeyUsages" => extended_key_usages: Vec<AcmExtendedKeyUsage>,
        "FailureReason" => failure_reason: String,
        "ImportedAt" => imported_at: String,
        "InUseBy" => in_use_by: Vec<String>,
        "IssuedAt" => issued_at: String,
        "Issuer" => issuer: String,
        "KeyAlgorithm" => key_algorithm: String,
        "KeyUsages" => key_usages: Vec<AcmKeyUsage>,
        "ManagedBy" => managed_by: String,
        "NotAfter" => not_after: String,
        "NotBefore" => not_before: String,
        "Options" => options: AcmCertificateOptions,
        "RenewalEligibility" => renewal_eligibility: String,
        "RenewalSummary" => renewal_summary: AcmRenewalSummary,
        "RevocationReason" => revocation_reason: String,
        "RevokedAt" => revoked_at: String,
        "Serial" => serial: String,
        "SignatureAlgorithm" => signature_algorithm: String,
        "Status" => status: String,
        "Subject" => subject: String,
        "SubjectAlternativeNames" => subject_alternative_names: Vec<String>,
        "Type" => type_: String,
    }
}

crate::object! {
    /// The validation of one domain name of a certificate (`DomainValidation`).
    pub struct AcmDomainValidation {
        "DomainName" => domain_name: String,
        "HttpRedirect" => http_redirect: AcmHttpRedirect,
        "ResourceRecord" => resource_record: AcmResourceRecord,
        "ValidationDomain" => validation_domain: String,
        "ValidationEmails" => validation_emails: Vec<String>,
        "ValidationMethod" => validation_method: String,
        "ValidationStatus" => validation_status: String,
    }
}

crate::object! {
    /// The DNS record to add for DNS validation (`ResourceRecord`).
    pub struct AcmResourceRecord {
        "Name" => name: String,
        "Type" => type_: String,
        "Value" => value: String,
    }
}

crate::object! {
    /// The HTTP redirect for HTTP validation (`HttpRedirect`).
    pub struct AcmHttpRedirect {
        "RedirectFrom" => redirect_from: String,
        "RedirectTo" => redirect_to: String,
    }
}

crate::object! {
    /// An X.509 v3 extended key usage (`ExtendedKeyUsage`).
    pub struct AcmExtendedKeyUsage {
        "Name" => name: String,
        "OID" => oid: String,
    }
}

crate::object! {
    /// An X.509 v3 key usage (`KeyUsage`).
    pub struct AcmKeyUsage {
        "Name" => name: String,
    }
}

crate::object! {
    /// Certificate options (`CertificateOptions`).
    pub struct AcmCertificateOptions {
        "CertificateTransparencyLoggingPreference" => certificate_transparency_logging_preference: String,
        "Export" => export: String,
    }
}

crate::object! {
    /// The status of ACM's managed renewal (`RenewalSummary`).
    pub struct AcmRenewalSummary {
        "DomainValidationOptions" => domain_validation_options: Vec<AcmDomainValidation>,
        "RenewalStatus" => renewal_status: String,
        "RenewalStatusReason" => renewal_status_reason: String,
        "UpdatedAt" => updated_at: String,
    }
}
