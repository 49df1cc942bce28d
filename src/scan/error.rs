//! What an AWS SDK error means for a scan, and the one-line message a user
//! can act on.
//!
//! This module owns the classification of SDK errors (denied, expired,
//! unreachable, …) and their wording; it does not decide what to do about them
//! (the call wrapper in [`super::context`] records skips, `access` reports
//! credential problems).

use std::error::Error as StdError;
use std::time::Duration;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::connection::{attempts_made, attempts_phrase, not_connected};
use super::context::seconds;

/// The error codes AWS (and moto) use to refuse an action to a known caller.
pub const ACCESS_DENIED_CODES: &[&str] = &[
    "UnauthorizedOperation",
    "AccessDenied",
    "AccessDeniedException",
    "AuthFailure",
];

const EXPIRED_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "TokenRefreshRequired",
];

const REJECTED_CREDENTIALS_CODES: &[&str] = &[
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
];

/// What went wrong with one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorClass {
    /// The caller is known but may not call this action.
    AccessDenied,
    /// The session token has expired.
    ExpiredToken,
    /// AWS does not accept the key or signature.
    RejectedCredentials,
    /// No credentials could be loaded at all.
    NoCredentials,
    /// The endpoint did not answer (connection refused, DNS, timeout), after retries.
    Unreachable,
    /// Anything else: a service error with a code, a parse failure, …
    Other,
}

/// Classify an SDK error by its code, or by what failed before a request was sent.
pub fn classify<E>(error: &SdkError<E, HttpResponse>) -> ErrorClass
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    if find_credentials_error(error).is_some() {
        return ErrorClass::NoCredentials;
    }
    match error {
        SdkError::TimeoutError(_) => return ErrorClass::Unreachable,
        SdkError::DispatchFailure(failure)
            if failure.is_io() || failure.is_timeout() || failure.is_other() =>
        {
            return ErrorClass::Unreachable
        }
        _ => {}
    }
    match (error_code(error), error.raw_response()) {
        (Some(code), _) => classify_code(Some(&code)),
        // A refusal whose body carried no readable code is still a refusal.
        (None, Some(response)) if response.status().as_u16() == 403 => ErrorClass::AccessDenied,
        (None, _) => classify_code(None),
    }
}

/// The error code, or the HTTP status when the answer carried none.
pub fn code_or_status<E>(error: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    match (error_code(error), error.raw_response()) {
        (Some(code), _) => code,
        (None, Some(response)) => format!("HTTP {}", response.status().as_u16()),
        (None, None) => "no answer".to_string(),
    }
}

/// The error code, as the SDK parsed it or else from the raw XML answer.
/// moto wraps ELBv2 and RDS errors as `<ErrorResponse><Errors><Error>` (the
/// EC2 layout), which the query-protocol parsers do not read, so without
/// this a denial there would look like an unknown failure.
pub fn error_code<E>(error: &SdkError<E, HttpResponse>) -> Option<String>
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    if let Some(code) = error.code() {
        return Some(code.to_string());
    }
    let body = std::str::from_utf8(error.raw_response()?.body().bytes()?).ok()?;
    let start = body.find("<Code>")? + "<Code>".len();
    let length = body[start..].find("</Code>")?;
    Some(body[start..start + length].trim().to_string()).filter(|code| !code.is_empty())
}

/// The codes AWS uses for "too many requests".
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "SlowDown",
];

/// Whether the SDK retried this error before giving up (throttling, 5xx).
fn is_retried<E>(error: &SdkError<E, HttpResponse>) -> bool
where
    E: ProvideErrorMetadata,
{
    error
        .code()
        .is_some_and(|code| THROTTLING_CODES.contains(&code))
        || error
            .raw_response()
            .is_some_and(|response| response.status().is_server_error())
}

/// Classify an error code alone.
pub fn classify_code(code: Option<&str>) -> ErrorClass {
    match code {
        Some(code) if ACCESS_DENIED_CODES.contains(&code) => ErrorClass::AccessDenied,
        Some(code) if EXPIRED_CODES.contains(&code) => ErrorClass::ExpiredToken,
        Some(code) if REJECTED_CREDENTIALS_CODES.contains(&code) => ErrorClass::RejectedCredentials,
        _ => ErrorClass::Other,
    }
}

/// A credentials-provider failure anywhere in the error's source chain (the
/// SDK wraps it in a dispatch failure).
fn find_credentials_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a CredentialsError> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<CredentialsError>() {
            return Some(found);
        }
        current = error.source();
    }
    None
}

/// The detail of a credentials failure, in full (the provider chain lists
/// every provider it tried).
pub fn credentials_detail(error: &CredentialsError) -> String {
    DisplayErrorContext(error).to_string().replace('\n', " ")
}

/// An error and its causes, each message once, joined by `: ` (without the
/// Debug dump `DisplayErrorContext` appends).
pub fn causes(error: &(dyn StdError + 'static)) -> String {
    let mut messages: Vec<String> = Vec::new();
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(error) = current {
        let message = error.to_string();
        if !message.is_empty() && !messages.iter().any(|seen| seen.contains(&message)) {
            messages.push(message);
        }
        current = error.source();
    }
    messages.join(": ").replace('\n', " ")
}

/// Where a failed call went, for its message.
#[derive(Debug, Clone, Copy)]
pub struct CallSite<'a> {
    /// The IAM action, `ec2:DescribeVpcs`.
    pub action: &'a str,
    pub region: &'a str,
    /// `--endpoint-url`, when one is in effect.
    pub endpoint: Option<&'a str>,
    /// `--call-timeout`: what a timed-out call ran out of.
    pub call_timeout: Duration,
}

/// The one-line message for a failed call: what failed, where, why, what to
/// do. Attempts are counted from what the transport saw, never assumed.
pub fn explain<E>(error: &SdkError<E, HttpResponse>, site: &CallSite<'_>) -> String
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    let CallSite { action, region, .. } = *site;
    let after = attempts_made(error)
        .map(|count| format!(" after {}", attempts_phrase(count)))
        .unwrap_or_default();
    match classify(error) {
        ErrorClass::NoCredentials => no_credentials_message(),
        ErrorClass::ExpiredToken => {
            expired_token_message(&format!("AWS refused {action} in {region} with an expired token"))
        }
        ErrorClass::RejectedCredentials => format!(
            "AWS rejected the credentials when calling {action} in {region}: {}; check the access key of the profile or environment you use",
            error.message().unwrap_or("invalid credentials")
        ),
        ErrorClass::AccessDenied => format!(
            "{action} was denied in {region}: {}; grant it to the identity that scans (see `strata iam policy`)",
            error.message().unwrap_or("access denied")
        ),
        ErrorClass::Unreachable if matches!(error, SdkError::TimeoutError(_)) => {
            let endpoint = site
                .endpoint
                .map(|url| format!(" at {url}"))
                .unwrap_or_default();
            format!(
                "{action} in {region} got no answer from AWS{endpoint} within --call-timeout {} (each attempt may take a third of it); check the endpoint, the region and your network, or raise --call-timeout",
                seconds(site.call_timeout),
            )
        }
        ErrorClass::Unreachable => {
            let endpoint = site
                .endpoint
                .map(|url| format!("at {url}"))
                .unwrap_or_else(|| "at its default endpoint".to_string());
            let why = not_connected(error).map_or_else(|| causes(error), ToString::to_string);
            format!(
                "cannot reach AWS {endpoint} for {action} in {region} ({why}{after}); check --endpoint-url, the region name and your network or proxy"
            )
        }
        ErrorClass::Other => {
            let what = match (error.code(), error.message()) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (Some(code), None) => code.to_string(),
                _ => causes(error),
            };
            if is_retried(error) {
                format!(
                    "{action} failed in {region}{after} ({what}); AWS kept throttling or failing: scan again later, or with a lower --max-concurrency or a higher --max-attempts"
                )
            } else {
                format!("{action} failed in {region}: {what}")
            }
        }
    }
}

/// "No credentials": the one message for every way of having none.
pub fn no_credentials_message() -> String {
    "no AWS credentials found (environment, shared config and credentials files, SSO, web identity, ECS and instance metadata were tried); pass --profile or set AWS_PROFILE, run `aws sso login` for an SSO profile, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_string()
}

/// "Expired": what to refresh. `detail` says how we know.
pub fn expired_token_message(detail: &str) -> String {
    format!(
        "the AWS credentials have expired ({detail}); refresh them (`aws sso login`, a new session or new keys) and scan again"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_what_the_user_must_do() {
        for code in ACCESS_DENIED_CODES {
            assert_eq!(classify_code(Some(code)), ErrorClass::AccessDenied);
        }
        assert_eq!(
            classify_code(Some("ExpiredToken")),
            ErrorClass::ExpiredToken
        );
        assert_eq!(
            classify_code(Some("InvalidClientTokenId")),
            ErrorClass::RejectedCredentials
        );
        assert_eq!(classify_code(Some("Throttling")), ErrorClass::Other);
        assert_eq!(classify_code(None), ErrorClass::Other);
    }
}
