//! One moto server (the AWS API emulator) per test, on 127.0.0.1 and a free
//! port, killed when the handle is dropped.
//!
//! The API, kept small for every test module:
//! - [`Moto::start`]: start a server and wait until it answers (panics
//!   loudly when `STRATA_TEST_PYTHON` is unset or the server won't start:
//!   a test needing the emulator never skips);
//! - [`Moto::endpoint`]: `http://127.0.0.1:PORT`, for `--endpoint-url`;
//! - [`Moto::reset_auth`]: switch moto's IAM enforcement on or off;
//! - [`Moto::sdk_config`] / [`Moto::sdk_config_as`] and the client builders
//!   (`ec2`, `elbv2`, `rds`, `elasticache`, `iam`, `acm`): SDK clients for seeding, with the
//!   static test credentials `testing`/`testing` (never real ones).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// How long a server may take to answer its first request.
const STARTUP_LIMIT: Duration = Duration::from_secs(30);

/// The access key moto accepts (any is accepted while IAM enforcement is off).
pub const TEST_ACCESS_KEY: &str = "testing";
pub const TEST_SECRET_KEY: &str = "testing";

/// moto's server with the fields moto leaves out of its answers filled in
/// as AWS documents them (see the file).
const LAUNCHER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/support/moto_server.py");

/// A running moto server.
pub struct Moto {
    child: Child,
    port: u16,
    log: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl Moto {
    /// Start a fresh server and wait until `GET /moto-api/` answers.
    pub async fn start() -> Moto {
        let python = std::env::var("STRATA_TEST_PYTHON").unwrap_or_else(|_| {
            panic!(
                "STRATA_TEST_PYTHON is not set: it must name a Python with moto[server] installed; run the tests with `tests/run`, which sets it up"
            )
        });
        let port = free_port();
        let log_dir = tempfile::tempdir().expect("cannot create a temporary directory");
        let log = log_dir.path().join("moto.log");
        let log_file = std::fs::File::create(&log).expect("cannot create the moto log");
        let child = Command::new(&python)
            .args([LAUNCHER, "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("cannot share the moto log"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start moto with {python}: {error}"));
        let mut moto = Moto {
            child,
            port,
            log,
            _log_dir: log_dir,
        };
        moto.wait_until_ready().await;
        moto
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + STARTUP_LIMIT;
        let url = format!("{}/moto-api/", self.endpoint());
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "moto exited ({status}) before answering; its output:\n{}",
                    self.log_text()
                );
            }
            if let Ok((200, _)) = http(hyper::Method::GET, &url, "").await {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "moto did not answer {url} within {STARTUP_LIMIT:?}; its output:\n{}",
                    self.log_text()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Switch IAM enforcement on (every request must be allowed by a policy of
    /// its caller) or off (any credentials work). Seed first, then switch on.
    pub async fn reset_auth(&self, on: bool) {
        let url = format!("{}/moto-api/reset-auth", self.endpoint());
        let body = if on { "0" } else { "inf" };
        let (status, text) = http(hyper::Method::POST, &url, body)
            .await
            .unwrap_or_else(|error| panic!("POST {url} failed: {error}"));
        assert_eq!(status, 200, "POST {url} answered {status}: {text}");
    }

    /// The body of `GET path` on the emulator's control API (e.g.
    /// `/moto-api/data.json`, its recorded state); panics unless it is 200.
    pub async fn get(&self, path: &str) -> String {
        let url = format!("{}{path}", self.endpoint());
        let (status, text) = http(hyper::Method::GET, &url, "")
            .await
            .unwrap_or_else(|error| panic!("GET {url} failed: {error}"));
        assert_eq!(status, 200, "GET {url} answered {status}: {text}");
        text
    }

    /// An SDK configuration for `region` with the test credentials.
    pub fn sdk_config(&self, region: &str) -> SdkConfig {
        self.sdk_config_as(region, TEST_ACCESS_KEY, TEST_SECRET_KEY)
    }

    /// An SDK configuration for `region` with the given (moto-issued) keys.
    pub fn sdk_config_as(&self, region: &str, access_key: &str, secret_key: &str) -> SdkConfig {
        SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .endpoint_url(self.endpoint())
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                    access_key,
                    secret_key,
                    None,
                    None,
                    "strata-tests",
                )),
            )
            .build()
    }

    pub fn ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.sdk_config(region))
    }

    pub fn elbv2(&self, region: &str) -> aws_sdk_elasticloadbalancingv2::Client {
        aws_sdk_elasticloadbalancingv2::Client::new(&self.sdk_config(region))
    }

    pub fn rds(&self, region: &str) -> aws_sdk_rds::Client {
        aws_sdk_rds::Client::new(&self.sdk_config(region))
    }

    pub fn elasticache(&self, region: &str) -> aws_sdk_elasticache::Client {
        aws_sdk_elasticache::Client::new(&self.sdk_config(region))
    }

    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.sdk_config("us-east-1"))
    }

    pub fn acm(&self, region: &str) -> aws_sdk_acm::Client {
        aws_sdk_acm::Client::new(&self.sdk_config(region))
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on right now (the OS picks it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("cannot find a free port on 127.0.0.1")
}

/// One plain-HTTP request to the emulator's control API.
async fn http(method: hyper::Method, url: &str, body: &str) -> Result<(u16, String), String> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let request = hyper::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "text/plain")
        .body(Full::new(Bytes::from(body.to_string())))
        .map_err(|error| error.to_string())?;
    let response = client
        .request(request)
        .await
        .map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|error| error.to_string())?
        .to_bytes();
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}
