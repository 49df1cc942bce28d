//! How requests reach AWS: the SDK's own default HTTPS client, wrapped so
//! that a request which cannot connect stops early and so that every answer
//! and failure says which attempt it was.
//!
//! The SDK's standard retry treats a refused connection or an unknown host
//! like a 503 and retries it up to `--max-attempts` times with backoff (10
//! attempts, 33 s of silence before the first message). Neither gets better
//! with waiting, so a request whose second attempt (or a later one) cannot
//! connect is not tried again. Throttling and 5xx answers are untouched:
//! they come with a response, and the SDK retries them as configured.
//!
//! The attempt number is the SDK's own: it sends it to AWS on every attempt
//! in the `amz-sdk-request: attempt=N; max=M` header. Stamped on the response
//! (an extension) or wrapped around the connection error, it lets
//! [`attempts_made`] tell how many attempts a failed call really made.
//!
//! This module owns only the transport; the retry policy is
//! [`super::context::ScanConfig`]'s, the wording [`super::error`]'s.

use std::error::Error as StdError;
use std::fmt;

use aws_config::BehaviorVersion;
use aws_smithy_runtime::client::defaults::default_http_client_plugin_v2;
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpClient, HttpConnector, HttpConnectorFuture, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::{ConnectorError, SdkError};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;

/// Attempts a request gets when it cannot connect: one retry, for a
/// connection that failed once by chance.
pub const CONNECT_ATTEMPTS: u32 = 2;

/// The SDK's default HTTPS client (rustls, proxy settings from the
/// environment), wrapped as this module describes. `None` only if this
/// build of the SDK has no default client, which the crate's features rule
/// out; the SDK then reports the missing client itself.
pub fn http_client() -> Option<SharedHttpClient> {
    let inner = default_http_client_plugin_v2(BehaviorVersion::latest())?
        .runtime_components(&RuntimeComponentsBuilder::new("strata"))
        .http_client()?;
    Some(http_client_fn(move |settings, components| {
        SharedHttpConnector::new(CountingConnector {
            inner: inner.http_connector(settings, components),
        })
    }))
}

/// Which attempt of its call an answer or a connection failure was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt(pub u32);

/// A connection failure, with the attempt it ended. Its source is the
/// SDK's error (refused, unknown host, connect timeout, …).
#[derive(Debug)]
pub struct NotConnected {
    pub attempt: Attempt,
    source: ConnectorError,
}

impl fmt::Display for NotConnected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&describe_connection_failure(&self.source))
    }
}

impl StdError for NotConnected {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

#[derive(Debug)]
struct CountingConnector {
    inner: SharedHttpConnector,
}

impl HttpConnector for CountingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let attempt = attempt_of(&request);
        let answer = self.inner.call(request);
        HttpConnectorFuture::new(async move {
            match answer.await {
                Ok(mut response) => {
                    response.add_extension(attempt);
                    Ok(response)
                }
                Err(error) if error.is_io() || error.is_timeout() => {
                    let is_timeout = error.is_timeout();
                    let failure = Box::new(NotConnected {
                        attempt,
                        source: error,
                    });
                    Err(if attempt.0 >= CONNECT_ATTEMPTS {
                        // No error kind: the SDK's classifiers find nothing
                        // to retry and the call ends here.
                        ConnectorError::other(failure, None)
                    } else if is_timeout {
                        ConnectorError::timeout(failure)
                    } else {
                        ConnectorError::io(failure)
                    })
                }
                Err(error) => Err(error),
            }
        })
    }
}

/// The attempt number the SDK wrote into `amz-sdk-request`; 1 when the
/// header is missing (a client that does not retry).
fn attempt_of(request: &HttpRequest) -> Attempt {
    let number = request
        .headers()
        .get("amz-sdk-request")
        .and_then(|value| {
            value
                .split(';')
                .find_map(|pair| pair.trim().strip_prefix("attempt="))
        })
        .and_then(|number| number.parse().ok())
        .unwrap_or(1);
    Attempt(number)
}

/// How many attempts a failed call made, when the transport saw its last
/// one: an answer (throttled, refused, 5xx, …) or a failed connection.
/// `None` for failures that never reached the transport or were cut off by
/// a timeout.
pub fn attempts_made<E>(error: &SdkError<E, HttpResponse>) -> Option<u32>
where
    E: StdError + 'static,
{
    if let Some(Attempt(number)) = error
        .raw_response()
        .and_then(|response| response.extension::<Attempt>())
    {
        return Some(*number);
    }
    not_connected(error).map(|failure| failure.attempt.0)
}

/// The connection failure in `error`'s chain of causes, if that is what
/// it is.
pub fn not_connected<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a NotConnected> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(failure) = error.downcast_ref::<NotConnected>() {
            return Some(failure);
        }
        current = error.source();
    }
    None
}

/// `1 attempt`, `3 attempts`.
pub fn attempts_phrase(count: u32) -> String {
    match count {
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    }
}

/// What went wrong with a connection, in a few plain words: the common
/// causes by their kind, anything else by the SDK's own chain of messages.
fn describe_connection_failure(error: &ConnectorError) -> String {
    if error.is_timeout() {
        return "no connection within the connect timeout".to_string();
    }
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(cause) = current {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return "connection refused".to_string(),
                std::io::ErrorKind::ConnectionReset => return "connection reset".to_string(),
                _ => {}
            }
        }
        // The resolver's errors carry no kind of their own.
        if cause.to_string().contains("dns error") {
            return "host name not found".to_string();
        }
        current = cause.source();
    }
    super::error::causes(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::body::SdkBody;

    fn request_with(header: Option<&str>) -> HttpRequest {
        let mut request = HttpRequest::new(SdkBody::empty());
        if let Some(value) = header {
            request
                .headers_mut()
                .insert("amz-sdk-request", value.to_string());
        }
        request
    }

    #[test]
    fn the_attempt_is_read_from_the_sdks_header() {
        assert_eq!(
            attempt_of(&request_with(Some("attempt=3; max=10"))),
            Attempt(3)
        );
        assert_eq!(
            attempt_of(&request_with(Some(
                "ttl=20261201T000000Z; attempt=2; max=3"
            ))),
            Attempt(2)
        );
        assert_eq!(attempt_of(&request_with(None)), Attempt(1));
    }

    #[test]
    fn attempts_are_counted_in_english() {
        assert_eq!(attempts_phrase(1), "1 attempt");
        assert_eq!(attempts_phrase(2), "2 attempts");
    }
}
