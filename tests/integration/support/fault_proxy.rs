//! A loopback HTTP proxy that injects AWS-shaped faults between strata and
//! the emulator, and logs every call it sees.
//!
//! strata is pointed at the proxy with `--endpoint-url`; the proxy forwards
//! each request to the upstream (moto) unchanged, Host header included, so
//! SigV4 signatures still verify. A [`FaultPlan`] decides per call whether to
//! forward it, answer with a throttle or a 5xx in the exact wire format the
//! service uses, delay it, or never answer at all (a black hole).
//!
//! Which calls fail is decided by hashing the plan's seed with the call's
//! identity (service, region, path, body) and the number of times that same
//! call was seen before, so a storm is reproducible whatever order the
//! concurrent scan issues its calls in.
//!
//! This module owns the proxy and its call log; it does not start the
//! emulator (see `moto.rs`) nor know what a scan should find.

use std::collections::HashMap;
use std::convert::Infallible;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};

/// An error answer the proxy can give instead of forwarding a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The service's throttling error: EC2 `RequestLimitExceeded` (HTTP 503),
    /// `Throttling` (HTTP 400) for the query-protocol services (ELBv2, RDS, STS).
    Throttle,
    /// HTTP 503: EC2 `Unavailable`, query-protocol `ServiceUnavailable`.
    ServiceUnavailable,
    /// HTTP 500: EC2 `InternalError`, query-protocol `InternalFailure`.
    InternalError,
}

/// Which calls a rule applies to; `None` matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// SigV4 service name: `ec2`, `elasticloadbalancing`, `rds`, `sts`.
    pub service: Option<String>,
    pub region: Option<String>,
}

impl Scope {
    pub fn service(service: &str) -> Scope {
        Scope {
            service: Some(service.to_string()),
            region: None,
        }
    }

    pub fn region(region: &str) -> Scope {
        Scope {
            service: None,
            region: Some(region.to_string()),
        }
    }

    fn matches(&self, call: &CallIdentity) -> bool {
        self.service.as_deref().is_none_or(|s| s == call.service)
            && self.region.as_deref().is_none_or(|r| r == call.region)
    }
}

/// What the proxy does to the calls it sees.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    /// Seeds the per-call decisions.
    pub seed: u64,
    /// Share of calls (0.0 ..= 1.0) answered with one of `faults` instead of
    /// being forwarded.
    pub failure_share: f64,
    /// The faults a failing call gets, chosen per call by the seeded hash.
    pub faults: Vec<Fault>,
    /// After this many injected faults in a row for the same call, the next
    /// attempt is forwarded: a storm that a retry budget above this number
    /// always rides out. `None`: no such guarantee.
    pub max_consecutive_faults: Option<u32>,
    /// Added before every forwarded or faulted answer.
    pub latency: Duration,
    /// Calls matching any of these are read and never answered.
    pub black_holes: Vec<Scope>,
}

impl FaultPlan {
    /// Forward everything untouched.
    pub fn calm() -> FaultPlan {
        FaultPlan {
            seed: 0,
            failure_share: 0.0,
            faults: Vec::new(),
            max_consecutive_faults: None,
            latency: Duration::ZERO,
            black_holes: Vec::new(),
        }
    }

    /// `share` of calls fail with a mix of throttles, 503s and 500s.
    pub fn storm(seed: u64, share: f64) -> FaultPlan {
        FaultPlan {
            seed,
            failure_share: share,
            faults: vec![
                Fault::Throttle,
                Fault::ServiceUnavailable,
                Fault::InternalError,
            ],
            ..FaultPlan::calm()
        }
    }

    /// Never answer calls in `scope`; forward the rest.
    pub fn black_hole(scope: Scope) -> FaultPlan {
        FaultPlan {
            black_holes: vec![scope],
            ..FaultPlan::calm()
        }
    }
}

/// What the proxy did with one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// Forwarded; the upstream answered with this status.
    Forwarded(u16),
    /// The upstream could not be reached; the proxy answered 502.
    UpstreamUnreachable,
    Injected(Fault),
    BlackHoled,
}

/// One call as the proxy saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// From the SigV4 credential scope; empty if the call was unsigned.
    pub service: String,
    /// From the SigV4 credential scope; empty if the call was unsigned.
    pub region: String,
    /// From the form body's `Action=`, the query string, or `X-Amz-Target`;
    /// empty if none of them names one.
    pub action: String,
    pub disposition: Disposition,
}

impl CallRecord {
    /// `ec2:DescribeVpcs`, the IAM spelling.
    pub fn iam_action(&self) -> String {
        format!("{}:{}", self.service, self.action)
    }
}

/// A running proxy. Dropping it stops it and closes every connection,
/// black-holed ones included.
pub struct FaultProxy {
    address: SocketAddr,
    state: Arc<Mutex<ProxyState>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

struct ProxyState {
    plan: FaultPlan,
    log: Vec<CallRecord>,
    /// Per call fingerprint: how many times it was seen, and how many faults
    /// in a row it has been given.
    seen: HashMap<u64, Attempts>,
}

#[derive(Default, Clone, Copy)]
struct Attempts {
    total: u32,
    consecutive_faults: u32,
}

impl FaultProxy {
    /// Start a proxy on 127.0.0.1 (a free port) in front of `upstream`
    /// (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str, plan: FaultPlan) -> FaultProxy {
        let upstream = upstream.trim_end_matches('/').to_string();
        assert!(
            upstream.starts_with("http://127.") || upstream.starts_with("http://localhost"),
            "the fault proxy only forwards to loopback, not to {upstream}"
        );
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("cannot bind the fault proxy on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("cannot make the fault proxy's socket non-blocking");
        let address = listener.local_addr().expect("bound socket has an address");
        let state = Arc::new(Mutex::new(ProxyState {
            plan,
            log: Vec::new(),
            seen: HashMap::new(),
        }));
        let (shutdown, shutdown_signal) = tokio::sync::oneshot::channel();
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("fault-proxy".into())
            .spawn(move || serve(listener, upstream, thread_state, shutdown_signal))
            .expect("cannot start the fault proxy thread");
        FaultProxy {
            address,
            state,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// The URL to give strata as `--endpoint-url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Replace the plan; calls already in flight keep their fate.
    pub fn set_plan(&self, plan: FaultPlan) {
        let mut state = self.lock();
        state.plan = plan;
        state.seen.clear();
    }

    /// Every call seen so far, in arrival order.
    pub fn calls(&self) -> Vec<CallRecord> {
        self.lock().log.clone()
    }

    fn lock(&self) -> MutexGuard<'_, ProxyState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The proxy's own runtime, on its own thread, so it works the same under a
/// synchronous test, a tokio test, or beside a `strata` child process.
fn serve(
    listener: std::net::TcpListener,
    upstream: String,
    state: Arc<Mutex<ProxyState>>,
    shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("cannot build the fault proxy's runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .expect("cannot hand the fault proxy's socket to tokio");
        let client: Client<HttpConnector, Full<Bytes>> =
            Client::builder(TokioExecutor::new()).build_http();
        let upstream = Arc::new(upstream);
        tokio::pin!(shutdown);
        loop {
            let stream = tokio::select! {
                _ = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => continue,
                },
            };
            let state = Arc::clone(&state);
            let client = client.clone();
            let upstream = Arc::clone(&upstream);
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    handle(
                        request,
                        Arc::clone(&state),
                        client.clone(),
                        Arc::clone(&upstream),
                    )
                });
                // A client hanging up mid-call (a timeout) is expected here.
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    // Dropping the runtime here cancels every connection task, which closes
    // the black-holed connections.
}

/// Who a call is: enough to log it and to recognise its retries.
struct CallIdentity {
    service: String,
    region: String,
    action: String,
    fingerprint: u64,
}

impl CallIdentity {
    fn of(request: &hyper::http::request::Parts, body: &[u8]) -> CallIdentity {
        let (service, region) = request
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(credential_scope)
            .unwrap_or_default();
        let action = action_of(request, body).unwrap_or_default();
        // Signatures and dates change between retries; the body and path do not.
        let mut hasher = DefaultHasher::new();
        (&service, &region, request.method.as_str()).hash(&mut hasher);
        request
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .hash(&mut hasher);
        body.hash(&mut hasher);
        CallIdentity {
            service,
            region,
            action,
            fingerprint: hasher.finish(),
        }
    }
}

/// `(service, region)` from `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, …`.
fn credential_scope(authorization: &str) -> Option<(String, String)> {
    let credential = authorization
        .split([' ', ','])
        .find_map(|part| part.trim().strip_prefix("Credential="))?;
    let mut scope = credential.split('/').skip(2);
    let region = scope.next()?;
    let service = scope.next()?;
    Some((service.to_string(), region.to_string()))
}

/// The API action: query-protocol form body or query string `Action=`, or the
/// JSON protocols' `X-Amz-Target: Prefix.Action`.
fn action_of(request: &hyper::http::request::Parts, body: &[u8]) -> Option<String> {
    let from_pairs = |bytes: &[u8]| {
        form_urlencoded::parse(bytes)
            .find(|(key, _)| key == "Action")
            .map(|(_, value)| value.into_owned())
    };
    from_pairs(body)
        .or_else(|| request.uri.query().and_then(|q| from_pairs(q.as_bytes())))
        .or_else(|| {
            let target = request.headers.get("x-amz-target")?.to_str().ok()?;
            Some(target.rsplit('.').next().unwrap_or(target).to_string())
        })
}

/// What to do with one call, decided under the lock so retries count right.
enum Decision {
    Forward,
    Fail(Fault),
    BlackHole,
}

fn decide(state: &mut ProxyState, call: &CallIdentity) -> Decision {
    let plan = &state.plan;
    if plan.black_holes.iter().any(|scope| scope.matches(call)) {
        return Decision::BlackHole;
    }
    let attempts = state.seen.entry(call.fingerprint).or_default();
    let attempt = attempts.total;
    attempts.total += 1;
    let exhausted = plan
        .max_consecutive_faults
        .is_some_and(|limit| attempts.consecutive_faults >= limit);
    if plan.faults.is_empty() || plan.failure_share <= 0.0 || exhausted {
        attempts.consecutive_faults = 0;
        return Decision::Forward;
    }
    let mut hasher = DefaultHasher::new();
    (plan.seed, call.fingerprint, attempt).hash(&mut hasher);
    let roll = hasher.finish();
    // The high 32 bits pick fail-or-not, the low bits pick which fault.
    let share = (roll >> 32) as f64 / (1u64 << 32) as f64;
    if share < plan.failure_share {
        attempts.consecutive_faults += 1;
        let which = (roll & 0xffff_ffff) as usize % plan.faults.len();
        Decision::Fail(plan.faults[which])
    } else {
        attempts.consecutive_faults = 0;
        Decision::Forward
    }
}

async fn handle(
    request: Request<Incoming>,
    state: Arc<Mutex<ProxyState>>,
    client: Client<HttpConnector, Full<Bytes>>,
    upstream: Arc<String>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => return Ok(plain(StatusCode::BAD_REQUEST, format!("{error}"))),
    };
    let call = CallIdentity::of(&parts, &body);
    let (decision, latency) = {
        let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
        let decision = decide(&mut state, &call);
        (decision, state.plan.latency)
    };
    let record = |disposition| CallRecord {
        service: call.service.clone(),
        region: call.region.clone(),
        action: call.action.clone(),
        disposition,
    };
    let log = |record: CallRecord| {
        state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .log
            .push(record)
    };
    match decision {
        Decision::BlackHole => {
            log(record(Disposition::BlackHoled));
            std::future::pending::<()>().await;
            unreachable!("a pending future never completes")
        }
        Decision::Fail(fault) => {
            tokio::time::sleep(latency).await;
            log(record(Disposition::Injected(fault)));
            Ok(fault_response(fault, &call.service))
        }
        Decision::Forward => {
            tokio::time::sleep(latency).await;
            let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let mut forwarded = Request::from_parts(parts.clone(), Full::new(body));
            *forwarded.uri_mut() = match format!("{upstream}{path}").parse() {
                Ok(uri) => uri,
                Err(error) => return Ok(plain(StatusCode::BAD_REQUEST, format!("{error}"))),
            };
            let answer = async {
                let response = client.request(forwarded).await.map_err(|e| e.to_string())?;
                let (parts, body) = response.into_parts();
                let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
                Ok::<_, String>(Response::from_parts(parts, Full::new(body)))
            };
            match answer.await {
                Ok(response) => {
                    log(record(Disposition::Forwarded(response.status().as_u16())));
                    Ok(response)
                }
                Err(error) => {
                    log(record(Disposition::UpstreamUnreachable));
                    Ok(plain(
                        StatusCode::BAD_GATEWAY,
                        format!("fault proxy: upstream {upstream} failed: {error}"),
                    ))
                }
            }
        }
    }
}

/// The error answer AWS itself gives, in the protocol of `service`.
///
/// EC2 (its own query dialect) wraps errors in `Response/Errors/Error` with a
/// `RequestID` and throttles with `RequestLimitExceeded` on HTTP 503; the
/// query-protocol services (ELBv2, RDS, STS) answer `ErrorResponse/Error`
/// with a `Type` and a `RequestId`, and throttle with `Throttling` on HTTP 400.
pub fn fault_response(fault: Fault, service: &str) -> Response<Full<Bytes>> {
    let request_id = "7f1c2e3d-0000-4000-8000-fa017fa017fa";
    let (status, body) = if service == "ec2" {
        let (status, code, message) = match fault {
            Fault::Throttle => (503, "RequestLimitExceeded", "Request limit exceeded."),
            Fault::ServiceUnavailable => (
                503,
                "Unavailable",
                "The server is overloaded and can't handle the request.",
            ),
            Fault::InternalError => (
                500,
                "InternalError",
                "An internal error has occurred. Retry your request.",
            ),
        };
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        );
        (status, body)
    } else {
        let (status, kind, code, message) = match fault {
            Fault::Throttle => (400, "Sender", "Throttling", "Rate exceeded"),
            Fault::ServiceUnavailable => (
                503,
                "Receiver",
                "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.",
            ),
            Fault::InternalError => (
                500,
                "Receiver",
                "InternalFailure",
                "The request processing has failed because of an unknown error, exception or failure.",
            ),
        };
        let namespace = match service {
            "elasticloadbalancing" => "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
            "rds" => "http://rds.amazonaws.com/doc/2014-10-31/",
            "sts" => "https://sts.amazonaws.com/doc/2011-06-15/",
            _ => "https://amazonaws.com/doc/",
        };
        let body = format!(
            "<ErrorResponse xmlns=\"{namespace}\">\n  <Error>\n    <Type>{kind}</Type>\n    <Code>{code}</Code>\n    <Message>{message}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n"
        );
        (status, body)
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(status).expect("valid status");
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    response
        .headers_mut()
        .insert("x-amzn-requestid", HeaderValue::from_static(request_id));
    response
}

fn plain(status: StatusCode, text: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(text)));
    *response.status_mut() = status;
    response
}

/// Self-test against a trivial loopback upstream that echoes the action.
#[cfg(test)]
mod self_test {
    use super::*;

    /// An upstream that answers `200 ok:<Action>` and counts its calls.
    struct EchoUpstream {
        address: SocketAddr,
        hits: Arc<Mutex<Vec<String>>>,
        _runtime: tokio::runtime::Runtime,
    }

    impl EchoUpstream {
        fn start() -> EchoUpstream {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            let listener = runtime
                .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .unwrap();
            let address = listener.local_addr().unwrap();
            let hits = Arc::new(Mutex::new(Vec::new()));
            let server_hits = Arc::clone(&hits);
            runtime.spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let hits = Arc::clone(&server_hits);
                    tokio::spawn(async move {
                        let service = service_fn(move |request: Request<Incoming>| {
                            let hits = Arc::clone(&hits);
                            async move {
                                let host = request
                                    .headers()
                                    .get("host")
                                    .map(|h| h.to_str().unwrap().to_string())
                                    .unwrap_or_default();
                                let body = request.into_body().collect().await?.to_bytes();
                                let action = form_urlencoded::parse(&body)
                                    .find(|(k, _)| k == "Action")
                                    .map(|(_, v)| v.into_owned())
                                    .unwrap_or_default();
                                hits.lock().unwrap().push(action.clone());
                                Ok::<_, hyper::Error>(Response::new(Full::new(Bytes::from(
                                    format!("ok:{action} host:{host}"),
                                ))))
                            }
                        });
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
            EchoUpstream {
                address,
                hits,
                _runtime: runtime,
            }
        }

        fn url(&self) -> String {
            format!("http://{}", self.address)
        }
    }

    /// POST a SigV4-looking query-protocol call; `(status, body)`.
    fn call(
        proxy: &FaultProxy,
        service: &str,
        region: &str,
        action: &str,
        timeout: Duration,
    ) -> Option<(u16, String)> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let client: Client<HttpConnector, Full<Bytes>> =
                Client::builder(TokioExecutor::new()).build_http();
            let request = Request::post(proxy.url())
                .header(
                    AUTHORIZATION,
                    format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/{region}/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"),
                )
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Full::new(Bytes::from(format!(
                    "Action={action}&Version=2016-11-15&Filter.1.Name=tag%3AName"
                ))))
                .unwrap();
            let response = tokio::time::timeout(timeout, client.request(request))
                .await
                .ok()?
                .unwrap();
            let status = response.status().as_u16();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            Some((status, String::from_utf8(body.to_vec()).unwrap()))
        })
    }

    const PATIENCE: Duration = Duration::from_secs(10);

    #[test]
    fn forwards_calls_keeping_the_signed_host_and_logs_them() {
        let upstream = EchoUpstream::start();
        let proxy = FaultProxy::start(&upstream.url(), FaultPlan::calm());
        let (status, body) = call(&proxy, "ec2", "eu-west-1", "DescribeVpcs", PATIENCE).unwrap();
        assert_eq!(status, 200);
        // The SDK signs the Host header; moto checks it against what it receives.
        assert_eq!(body, format!("ok:DescribeVpcs host:{}", proxy.address));
        assert_eq!(
            proxy.calls(),
            vec![CallRecord {
                service: "ec2".into(),
                region: "eu-west-1".into(),
                action: "DescribeVpcs".into(),
                disposition: Disposition::Forwarded(200),
            }]
        );
        assert_eq!(proxy.calls()[0].iam_action(), "ec2:DescribeVpcs");
        assert_eq!(*upstream.hits.lock().unwrap(), vec!["DescribeVpcs"]);
    }

    #[test]
    fn throttles_in_each_services_own_wire_format() {
        let upstream = EchoUpstream::start();
        let plan = FaultPlan {
            faults: vec![Fault::Throttle],
            ..FaultPlan::storm(1, 1.0)
        };
        let proxy = FaultProxy::start(&upstream.url(), plan);

        let (status, body) = call(&proxy, "ec2", "eu-west-1", "DescribeVpcs", PATIENCE).unwrap();
        assert_eq!(status, 503);
        assert!(body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>"), "{body}");
        assert!(body.ends_with("</RequestID></Response>"), "{body}");

        let (status, body) = call(
            &proxy,
            "elasticloadbalancing",
            "eu-west-1",
            "DescribeLoadBalancers",
            PATIENCE,
        )
        .unwrap();
        assert_eq!(status, 400);
        assert!(body.starts_with("<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"), "{body}");
        assert!(
            body.contains("<Type>Sender</Type>\n    <Code>Throttling</Code>"),
            "{body}"
        );

        let (status, body) =
            call(&proxy, "rds", "eu-west-1", "DescribeDBInstances", PATIENCE).unwrap();
        assert_eq!(status, 400);
        assert!(
            body.starts_with("<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"),
            "{body}"
        );
        assert!(body.contains("<Code>Throttling</Code>"), "{body}");

        assert!(
            upstream.hits.lock().unwrap().is_empty(),
            "a faulted call reached the upstream"
        );
        let dispositions: Vec<_> = proxy.calls().into_iter().map(|c| c.disposition).collect();
        assert_eq!(
            dispositions,
            vec![Disposition::Injected(Fault::Throttle); 3]
        );
    }

    #[test]
    fn server_errors_are_500_and_503() {
        for (fault, ec2_status, ec2_code, query_status, query_code) in [
            (
                Fault::InternalError,
                500,
                "InternalError",
                500,
                "InternalFailure",
            ),
            (
                Fault::ServiceUnavailable,
                503,
                "Unavailable",
                503,
                "ServiceUnavailable",
            ),
        ] {
            let upstream = EchoUpstream::start();
            let plan = FaultPlan {
                faults: vec![fault],
                ..FaultPlan::storm(1, 1.0)
            };
            let proxy = FaultProxy::start(&upstream.url(), plan);
            let (status, body) =
                call(&proxy, "ec2", "us-east-1", "DescribeSubnets", PATIENCE).unwrap();
            assert_eq!(status, ec2_status);
            assert!(body.contains(&format!("<Code>{ec2_code}</Code>")), "{body}");
            let (status, body) =
                call(&proxy, "rds", "us-east-1", "DescribeDBClusters", PATIENCE).unwrap();
            assert_eq!(status, query_status);
            assert!(
                body.contains(&format!(
                    "<Type>Receiver</Type>\n    <Code>{query_code}</Code>"
                )),
                "{body}"
            );
        }
    }

    #[test]
    fn the_same_seed_fails_the_same_calls_and_retries_get_through() {
        let actions: Vec<String> = (0..60).map(|i| format!("DescribeThing{i}")).collect();
        let run = |seed| {
            let upstream = EchoUpstream::start();
            let plan = FaultPlan {
                max_consecutive_faults: Some(2),
                ..FaultPlan::storm(seed, 0.3)
            };
            let proxy = FaultProxy::start(&upstream.url(), plan);
            let mut failed = Vec::new();
            for action in &actions {
                // Retry like an SDK would; the cap guarantees the third attempt passes.
                let mut attempts = 0;
                loop {
                    attempts += 1;
                    let (status, _) = call(&proxy, "ec2", "eu-west-1", action, PATIENCE).unwrap();
                    if status == 200 {
                        break;
                    }
                    failed.push(action.clone());
                    assert!(attempts <= 2, "{action} failed more than the cap allows");
                }
            }
            failed
        };
        let first = run(42);
        assert_eq!(first, run(42), "the same seed must fail the same calls");
        assert_ne!(first, run(43), "another seed must give another storm");
        // About 30% of 60 first attempts (plus some retries) fail.
        assert!((8..=40).contains(&first.len()), "{} failures", first.len());
    }

    #[test]
    fn a_black_hole_never_answers_only_its_scope() {
        let upstream = EchoUpstream::start();
        let proxy = FaultProxy::start(
            &upstream.url(),
            FaultPlan::black_hole(Scope::region("eu-west-1")),
        );
        assert_eq!(
            call(
                &proxy,
                "ec2",
                "eu-west-1",
                "DescribeVpcs",
                Duration::from_millis(500)
            ),
            None,
            "the black-holed region answered"
        );
        let (status, _) = call(&proxy, "ec2", "us-east-1", "DescribeVpcs", PATIENCE).unwrap();
        assert_eq!(status, 200);
        let dispositions: Vec<_> = proxy
            .calls()
            .into_iter()
            .map(|c| (c.region, c.disposition))
            .collect();
        assert_eq!(
            dispositions,
            vec![
                ("eu-west-1".to_string(), Disposition::BlackHoled),
                ("us-east-1".to_string(), Disposition::Forwarded(200)),
            ]
        );
        assert_eq!(*upstream.hits.lock().unwrap(), vec!["DescribeVpcs"]);
    }

    #[test]
    fn latency_delays_every_answer() {
        let upstream = EchoUpstream::start();
        let plan = FaultPlan {
            latency: Duration::from_millis(300),
            ..FaultPlan::calm()
        };
        let proxy = FaultProxy::start(&upstream.url(), plan);
        let started = std::time::Instant::now();
        let (status, _) =
            call(&proxy, "rds", "eu-west-1", "DescribeDBInstances", PATIENCE).unwrap();
        assert_eq!(status, 200);
        assert!(
            started.elapsed() >= Duration::from_millis(300),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn reads_the_action_from_x_amz_target_and_the_query_string() {
        let parts = |uri: &str, target: Option<&str>| {
            let mut builder = Request::post(uri);
            if let Some(target) = target {
                builder = builder.header("x-amz-target", target);
            }
            builder.body(()).unwrap().into_parts().0
        };
        assert_eq!(
            action_of(&parts("/", Some("AmazonSSM.GetParameter")), b"{}").as_deref(),
            Some("GetParameter")
        );
        assert_eq!(
            action_of(
                &parts("/?Action=GetCallerIdentity&Version=2011-06-15", None),
                b""
            )
            .as_deref(),
            Some("GetCallerIdentity")
        );
        assert_eq!(
            credential_scope("AWS4-HMAC-SHA256 Credential=AKID/20260101/ap-south-1/sts/aws4_request,SignedHeaders=host,Signature=ab"),
            Some(("sts".to_string(), "ap-south-1".to_string()))
        );
        assert_eq!(credential_scope("Basic dXNlcg=="), None);
    }

    /// The SDK itself must read the injected answers as the errors AWS gives,
    /// and retry them: otherwise a storm test proves nothing.
    #[test]
    fn the_sdk_reads_injected_faults_as_retryable_aws_errors() {
        use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
        use aws_sdk_ec2::error::ProvideErrorMetadata;
        use aws_smithy_types::retry::RetryConfig;

        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let upstream = EchoUpstream::start();
        let plan = FaultPlan {
            faults: vec![Fault::Throttle],
            ..FaultPlan::storm(7, 1.0)
        };
        let proxy = FaultProxy::start(&upstream.url(), plan);
        let retry = RetryConfig::standard()
            .with_max_attempts(3)
            .with_initial_backoff(Duration::from_millis(5));
        let credentials = Credentials::new("AKIDEXAMPLE", "not-a-secret", None, None, "test");

        let ec2 = aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("eu-west-1"))
                .endpoint_url(proxy.url())
                .credentials_provider(credentials.clone())
                .retry_config(retry.clone())
                .build(),
        );
        let error = runtime.block_on(ec2.describe_vpcs().send()).unwrap_err();
        assert_eq!(error.code(), Some("RequestLimitExceeded"));
        assert_eq!(error.message(), Some("Request limit exceeded."));

        let rds = aws_sdk_rds::Client::from_conf(
            aws_sdk_rds::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("eu-west-1"))
                .endpoint_url(proxy.url())
                .credentials_provider(credentials.clone())
                .retry_config(retry.clone())
                .build(),
        );
        let error = runtime
            .block_on(rds.describe_db_instances().send())
            .unwrap_err();
        assert_eq!(error.code(), Some("Throttling"));

        let elb = aws_sdk_elasticloadbalancingv2::Client::from_conf(
            aws_sdk_elasticloadbalancingv2::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("eu-west-1"))
                .endpoint_url(proxy.url())
                .credentials_provider(credentials)
                .retry_config(retry)
                .build(),
        );
        let error = runtime
            .block_on(elb.describe_load_balancers().send())
            .unwrap_err();
        assert_eq!(error.code(), Some("Throttling"));

        // Three attempts each: the SDK classified every answer as retryable.
        let seen: Vec<(String, Disposition)> = proxy
            .calls()
            .into_iter()
            .map(|c| (c.iam_action(), c.disposition))
            .collect();
        let expected: Vec<(String, Disposition)> = [
            "ec2:DescribeVpcs",
            "rds:DescribeDBInstances",
            "elasticloadbalancing:DescribeLoadBalancers",
        ]
        .iter()
        .flat_map(|action| vec![(action.to_string(), Disposition::Injected(Fault::Throttle)); 3])
        .collect();
        assert_eq!(seen, expected);
    }
}
