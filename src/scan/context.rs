//! The one wrapper every AWS call of a scan goes through, and the settings
//! that shape those calls.
//!
//! This module owns: the global bound on requests in flight (one semaphore
//! across all accounts × regions × services), the SDK retry and timeout
//! policies, the recording of denied actions as [`Skipped`] and of the calls
//! still waiting for an answer (for the scan timeout's message), and the
//! wording of call errors.
//! It does not know any service's API (that is `ec2`, `elbv2`, `rds`).

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::{anyhow, bail};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use tokio::sync::Semaphore;

use super::action::{Action, Call};
use super::error::{classify, code_or_status, explain, CallSite, ErrorClass};
use super::progress::Progress;
use crate::snapshot::{Resource, Skipped};

/// How a scan calls AWS.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// Requests in flight at once, across all accounts, regions and services.
    pub max_concurrency: usize,
    /// Attempts per request (first try included), with exponential backoff
    /// and jitter (at most 20 s between tries), for throttling and 5xx
    /// answers. A request that cannot connect gets at most
    /// [`CONNECT_ATTEMPTS`](super::connection::CONNECT_ATTEMPTS).
    pub max_attempts: u32,
    /// `--endpoint-url`, for emulators and private endpoints (also applied to
    /// the base `SdkConfig` by `access`; kept here for error messages).
    pub endpoint_url: Option<String>,
    /// Longest one API request may take, its retries included
    /// (`--call-timeout`); each attempt gets a third of it, so a hung
    /// connection is retried before the request gives up.
    pub call_timeout: Duration,
    /// Longest the whole scan may take (`--scan-timeout`); regions not done
    /// by then fail with the calls they were waiting for. `None`: no limit.
    pub scan_timeout: Option<Duration>,
    /// Delay before the first retry; later ones double, with full jitter,
    /// up to the SDK's 20 s cap (`--retry-backoff`).
    pub initial_backoff: Duration,
    /// `--retry-mode`.
    pub retry_mode: RetryMode,
}

/// How throttled and failed requests are retried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RetryMode {
    /// Each request backs off on its own (exponential, with jitter): the
    /// fastest way through throttling for one scan.
    #[default]
    Standard,
    /// Also the SDK's client-side rate limiter, shared by all requests to a
    /// service: after a throttle it sends at 0.7 times the rate it measured
    /// and charges a throttled retry 10 tokens, refilled at no less than 0.5
    /// a second, so at low request rates a retry waits up to the 20 s
    /// backoff cap. For accounts whose API limits other tools use at the
    /// same time; give it a longer --call-timeout.
    Adaptive,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            max_concurrency: 16,
            max_attempts: 10,
            endpoint_url: None,
            call_timeout: Duration::from_secs(60),
            scan_timeout: None,
            initial_backoff: Duration::from_secs(1),
            retry_mode: RetryMode::Standard,
        }
    }
}

/// Connecting to AWS takes milliseconds; an endpoint that has not accepted
/// a connection in 3.1 s (the SDK's own default since behavior version
/// 2026-01-12) is unreachable, whatever budget the request has.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

impl ScanConfig {
    /// The SDK retry policy for every client of the scan.
    pub fn retry_config(&self) -> RetryConfig {
        let base = match self.retry_mode {
            RetryMode::Standard => RetryConfig::standard(),
            RetryMode::Adaptive => RetryConfig::adaptive(),
        };
        base.with_max_attempts(self.max_attempts.max(1))
            .with_initial_backoff(self.initial_backoff)
    }

    /// The SDK timeouts for every client of the scan (STS included).
    pub fn timeout_config(&self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.call_timeout.min(CONNECT_TIMEOUT))
            .operation_attempt_timeout(self.call_timeout / 3)
            .operation_timeout(self.call_timeout)
            .build()
    }
}

/// State shared by every call of one scan.
#[derive(Debug)]
pub struct ScanContext {
    config: ScanConfig,
    in_flight: Semaphore,
    skipped: Mutex<Vec<Skipped>>,
    /// Per (account, region): IAM actions sent and not answered yet, counted.
    waiting: Mutex<BTreeMap<(String, String), BTreeMap<String, usize>>>,
    progress: Progress,
}

impl ScanContext {
    pub fn new(config: &ScanConfig, progress: Progress) -> ScanContext {
        ScanContext {
            config: config.clone(),
            in_flight: Semaphore::new(config.max_concurrency.max(1)),
            skipped: Mutex::new(Vec::new()),
            waiting: Mutex::new(BTreeMap::new()),
            progress,
        }
    }

    /// The actions sent in this account and region and not answered yet,
    /// sorted (`ec2:DescribeInstances`).
    pub fn waiting_for(&self, account: &str, region: &str) -> Vec<String> {
        self.lock_waiting()
            .get(&(account.to_string(), region.to_string()))
            .map(|actions| actions.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn lock_waiting(&self) -> MutexGuard<'_, BTreeMap<(String, String), BTreeMap<String, usize>>> {
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn config(&self) -> &ScanConfig {
        &self.config
    }

    /// Every skip recorded so far, sorted.
    pub fn take_skipped(&self) -> Vec<Skipped> {
        let mut skipped = match self.skipped.lock() {
            Ok(mut guard) => std::mem::take(&mut *guard),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        skipped.sort();
        skipped.dedup();
        skipped
    }

    fn record_skip(&self, skip: Skipped) {
        match self.skipped.lock() {
            Ok(mut guard) => guard.push(skip),
            Err(poisoned) => poisoned.into_inner().push(skip),
        }
    }
}

/// One account × region of a scan: where calls go and what they record.
#[derive(Debug, Clone)]
pub struct RegionContext {
    shared: Arc<ScanContext>,
    account: String,
    region: String,
    sdk_config: SdkConfig,
}

impl RegionContext {
    /// `base` is the account's resolved configuration; the region and the
    /// retry and timeout policies of the scan are set on top.
    pub fn new(
        shared: Arc<ScanContext>,
        account: String,
        region: String,
        base: &SdkConfig,
    ) -> RegionContext {
        let sdk_config = base
            .to_builder()
            .region(aws_config::Region::new(region.clone()))
            .retry_config(shared.config.retry_config())
            .timeout_config(shared.config.timeout_config())
            .build();
        RegionContext {
            shared,
            account,
            region,
            sdk_config,
        }
    }

    pub fn account(&self) -> &str {
        &self.account
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// The configuration service clients are built from.
    pub fn sdk_config(&self) -> &SdkConfig {
        &self.sdk_config
    }

    /// Make one AWS call for `action`, holding a permit of the global bound
    /// while it runs (a paginated call holds it across its pages, which it
    /// requests one after the other).
    ///
    /// `Ok(Some(answer))` on success; `Ok(None)` when the action was denied
    /// and is optional: the skip is recorded and the caller goes on without
    /// what it feeds. A denied mandatory action, and every other failure, is
    /// an error naming the action and the region.
    pub async fn call<T, E, F, Fut>(
        &self,
        call: &'static Call,
        request: F,
    ) -> anyhow::Result<Option<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        let _permit = self
            .shared
            .in_flight
            .acquire()
            .await
            .map_err(|_| anyhow!("the scan was stopped"))?;
        let action = &call.action;
        let _waiting = Waiting::start(self, action.iam_name());
        let error = match request().await {
            Ok(answer) => return Ok(Some(answer)),
            Err(error) => error,
        };
        let message = explain(
            &error,
            &CallSite {
                action: &action.iam_name(),
                region: &self.region,
                endpoint: self.shared.config.endpoint_url.as_deref(),
                call_timeout: self.shared.config.call_timeout,
            },
        );
        let denied = classify(&error) == ErrorClass::AccessDenied;
        if denied && action.mandatory {
            bail!(mandatory_denied(action, &self.account, &self.region));
        }
        if !denied {
            bail!(message);
        }
        tracing::info!("{message}");
        self.shared.record_skip(Skipped {
            account: self.account.clone(),
            region: self.region.clone(),
            service: action.service.to_string(),
            action: action.iam_name(),
            reason: format!("access denied ({})", code_or_status(&error)),
            left_out: action.feeds.to_string(),
        });
        Ok(None)
    }

    /// Run one service's scan of this region and report it to the progress
    /// display; errors gain the service and region as context.
    pub async fn service(
        &self,
        service: &str,
        scan: impl Future<Output = anyhow::Result<Vec<Resource>>>,
    ) -> anyhow::Result<Vec<Resource>> {
        let result = scan.await;
        self.shared.progress.service_done(
            &self.account,
            &self.region,
            service,
            result.as_ref().ok().map(Vec::len),
        );
        result
    }
}

/// An action waiting for its answer, listed in the scan's `waiting` table
/// for as long as this lives (dropping it, also by cancellation, unlists it).
struct Waiting<'a> {
    context: &'a RegionContext,
    action: String,
}

impl<'a> Waiting<'a> {
    fn start(context: &'a RegionContext, action: String) -> Waiting<'a> {
        *context
            .shared
            .lock_waiting()
            .entry((context.account.clone(), context.region.clone()))
            .or_default()
            .entry(action.clone())
            .or_default() += 1;
        Waiting { context, action }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let key = (self.context.account.clone(), self.context.region.clone());
        let mut waiting = self.context.shared.lock_waiting();
        let Some(actions) = waiting.get_mut(&key) else {
            return;
        };
        if let Some(count) = actions.get_mut(&self.action) {
            *count -= 1;
            if *count == 0 {
                actions.remove(&self.action);
            }
        }
        if actions.is_empty() {
            waiting.remove(&key);
        }
    }
}

/// `2s`, `0.5s`, `90s`: a duration as the command line spells it.
pub fn seconds(duration: Duration) -> String {
    format!("{}s", duration.as_secs_f64())
}

/// The scan stops without a mandatory action: say which actions strata
/// cannot do without, all of them, so one grant fixes it.
fn mandatory_denied(action: &Action, account: &str, region: &str) -> String {
    let mut mandatory: Vec<String> = super::action::region_calls()
        .iter()
        .filter(|call| call.action.mandatory)
        .map(|call| call.action.iam_name())
        .collect();
    mandatory.sort();
    mandatory.dedup();
    format!(
        "{} was denied in account {account}, {region}: strata cannot draw anything without {}; grant them to the identity that scans (`strata iam policy --minimal` prints the whole policy)",
        action.iam_name(),
        mandatory.join(" and ")
    )
}

/// Run `work` on every item concurrently (each call inside still waits for
/// its permit), returning the results in the order of `items`.
pub async fn for_each_concurrently<I, T, F, Fut>(items: Vec<I>, work: F) -> anyhow::Result<Vec<T>>
where
    F: Fn(I) -> Fut,
    Fut: Future<Output = anyhow::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let mut tasks = tokio::task::JoinSet::new();
    for (index, item) in items.into_iter().enumerate() {
        let future = work(item);
        tasks.spawn(async move { (index, future.await) });
    }
    let mut results = Vec::with_capacity(tasks.len());
    while let Some(joined) = tasks.join_next().await {
        let (index, result) = joined.map_err(|error| anyhow!("a scan task failed: {error}"))?;
        results.push((index, result?));
    }
    results.sort_by_key(|(index, _)| *index);
    Ok(results.into_iter().map(|(_, result)| result).collect())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    use super::*;

    const OPTIONAL: Call = Call {
        action: Action {
            service: "rds",
            name: "DescribeDBInstances",
            feeds: "RDS DB instances",
            mandatory: false,
        },
        probe: None,
    };
    const MANDATORY: Call = Call {
        action: Action {
            service: "ec2",
            name: "DescribeVpcs",
            feeds: "VPCs",
            mandatory: true,
        },
        probe: None,
    };

    #[test]
    fn the_retry_mode_and_attempts_are_the_users_choice() {
        let adaptive = ScanConfig {
            retry_mode: RetryMode::Adaptive,
            max_attempts: 7,
            ..ScanConfig::default()
        }
        .retry_config();
        assert_eq!(adaptive.mode(), aws_config::retry::RetryMode::Adaptive);
        assert_eq!(adaptive.max_attempts(), 7);
        let standard = ScanConfig::default().retry_config();
        assert_eq!(standard.mode(), aws_config::retry::RetryMode::Standard);
        assert_eq!(standard.max_attempts(), 10);
    }

    fn region_context(max_concurrency: usize) -> RegionContext {
        let config = ScanConfig {
            max_concurrency,
            ..ScanConfig::default()
        };
        let shared = Arc::new(ScanContext::new(&config, Progress::hidden()));
        let base = SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        RegionContext::new(shared, "123456789012".into(), "eu-west-1".into(), &base)
    }

    fn refusal(code: &str) -> SdkError<GetCallerIdentityError, HttpResponse> {
        let status = 403u16.try_into().expect("a valid status");
        SdkError::service_error(
            GetCallerIdentityError::generic(ErrorMetadata::builder().code(code).build()),
            HttpResponse::new(status, SdkBody::empty()),
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_requests_in_flight_than_the_bound() {
        let context = region_context(3);
        let (in_flight, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let (context, in_flight, peak) =
                (context.clone(), Arc::clone(&in_flight), Arc::clone(&peak));
            tasks.spawn(async move {
                context
                    .call(&OPTIONAL, || async {
                        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        in_flight.fetch_sub(1, Ordering::SeqCst);
                        Ok::<_, SdkError<GetCallerIdentityError, HttpResponse>>(())
                    })
                    .await
            });
        }
        while let Some(result) = tasks.join_next().await {
            assert_eq!(result.unwrap().unwrap(), Some(()));
        }
        assert_eq!(peak.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_denied_optional_action_is_recorded_and_skipped() {
        let context = region_context(2);
        let answer: Option<()> = context
            .call(&OPTIONAL, || async { Err(refusal("AccessDenied")) })
            .await
            .unwrap();
        assert_eq!(answer, None);
        assert_eq!(
            context.shared.take_skipped(),
            [Skipped {
                account: "123456789012".into(),
                region: "eu-west-1".into(),
                service: "rds".into(),
                action: "rds:DescribeDBInstances".into(),
                reason: "access denied (AccessDenied)".into(),
                left_out: "RDS DB instances".into(),
            }]
        );
    }

    #[tokio::test]
    async fn a_denied_mandatory_action_or_another_error_stops_with_context() {
        let context = region_context(2);
        let denied = context
            .call(&MANDATORY, || async {
                Err::<(), _>(refusal("UnauthorizedOperation"))
            })
            .await
            .unwrap_err()
            .to_string();
        assert!(
            denied.contains("ec2:DescribeVpcs was denied in account 123456789012, eu-west-1"),
            "{denied}"
        );
        let other = context
            .call(&OPTIONAL, || async {
                Err::<(), _>(refusal("InternalFailure"))
            })
            .await
            .unwrap_err()
            .to_string();
        assert!(
            other.contains("rds:DescribeDBInstances failed in eu-west-1"),
            "{other}"
        );
        assert!(context.shared.take_skipped().is_empty());
    }

    #[test]
    fn retries_are_standard_with_the_configured_attempts() {
        let retry = ScanConfig::default().retry_config();
        assert_eq!(retry.mode(), aws_config::retry::RetryMode::Standard);
        assert_eq!(retry.max_attempts(), 10);
    }
}
