//! Reading an account through a role: `sts:AssumeRole` on top of the base
//! credentials, with the external id the role's trust policy requires, and
//! the one-line message for each way that fails.
//!
//! The SDK's `AssumeRoleProvider` does the call and refreshes the session
//! before it expires; this module builds it, proves it works (the account id
//! comes back from GetCallerIdentity through the role) and explains a
//! refusal. It never prints, logs or stores the temporary credentials.

use std::error::Error as StdError;
use std::time::Duration;

use anyhow::anyhow;
use aws_config::sts::AssumeRoleProvider;
use aws_config::SdkConfig;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::SdkError;
use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::names::{ExternalId, RoleArn, SessionName};

/// Session name when none is given: recognisable in the account's CloudTrail.
pub const DEFAULT_SESSION_NAME: &str = "strata";
/// Session length when none is given: the IAM default maximum of a role.
pub const DEFAULT_SESSION_SECONDS: u64 = 3600;
/// The range STS accepts for DurationSeconds.
pub const SESSION_SECONDS: std::ops::RangeInclusive<u64> = 900..=43_200;

/// How to assume a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRequest {
    pub role_arn: RoleArn,
    pub external_id: Option<ExternalId>,
    pub session_name: SessionName,
    pub duration: Duration,
}

/// `base` with its credentials replaced by the role's. Nothing is called yet;
/// [`caller_account`] makes the first call and reports a refusal.
pub async fn assume_role(base: &SdkConfig, request: &AssumeRequest) -> SdkConfig {
    let mut builder = AssumeRoleProvider::builder(request.role_arn.as_str())
        .session_name(request.session_name.as_str())
        .session_length(request.duration)
        .configure(base);
    if let Some(external_id) = &request.external_id {
        builder = builder.external_id(external_id.as_str());
    }
    let provider = builder.build().await;
    base.to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build()
}

/// The account the role belongs to, from GetCallerIdentity made through it:
/// this both assumes the role (the session is cached for the scan's clients)
/// and proves the role is the one the user meant.
pub async fn caller_account(config: &SdkConfig, request: &AssumeRequest) -> anyhow::Result<String> {
    let sts = aws_sdk_sts::Client::new(config);
    let identity = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|error| anyhow!(explain_refusal(&error, request)))?;
    identity.account.ok_or_else(|| {
        anyhow!(
            "STS GetCallerIdentity through {} returned no account id",
            request.role_arn
        )
    })
}

/// One line for a failed first call through the role: the AssumeRole answer
/// when that is what failed, else the call's own error.
fn explain_refusal(error: &(dyn StdError + 'static), request: &AssumeRequest) -> String {
    let role = &request.role_arn;
    let Some(assume_error) = find::<SdkError<AssumeRoleError, HttpResponse>>(error) else {
        return format!(
            "cannot read account {} through role {role}: {}",
            role.account(),
            DisplayErrorContext(error).to_string().replace('\n', " ")
        );
    };
    match assume_error.code() {
        Some("AccessDenied") => {
            let external_id_hint = if request.external_id.is_some() {
                "the external id matches the one in its trust policy"
            } else {
                "the role does not require an external id (pass --external-id, or external_id in --accounts, if it does)"
            };
            format!(
                "cannot assume {role}: access denied; check that the role's trust policy allows your account, that {external_id_hint}, and that your credentials may call sts:AssumeRole on it"
            )
        }
        Some("ExpiredToken" | "ExpiredTokenException") => format!(
            "cannot assume {role}: the base credentials have expired; refresh them (e.g. `aws sso login`) and run again"
        ),
        Some("ValidationError") => format!(
            "cannot assume {role}: {}; a role's maximum session may be shorter than --duration (the IAM default is 3600 seconds)",
            assume_error.message().unwrap_or("STS refused the request")
        ),
        _ => format!(
            "cannot assume {role}: {}",
            DisplayErrorContext(assume_error).to_string().replace('\n', " ")
        ),
    }
}

/// The first error of type `T` in `error`'s source chain.
fn find<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        current = error.source();
    }
    None
}
