//! The one wrapper every AWS call of a scan goes through, and the settings
//! that shape those calls.
//!
//! This module owns: the global bound on requests in flight (one semaphore
//! across all accounts × regions × services), the SDK retry policy, the
//! recording of denied actions as [`Skipped`], and the wording of call errors.
//! It does not know any service's API (that is `ec2`, `elbv2`, `rds`).

use std::error::Error as StdError;
use std::future::Future;
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, bail};
use aws_config::retry::RetryConfig;
use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use tokio::sync::Semaphore;

use super::action::Action;
use super::error::{classify, explain, ErrorClass};
use super::progress::Progress;
use crate::snapshot::{Resource, Skipped};

/// How a scan calls AWS.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// Requests in flight at once, across all accounts, regions and services.
    pub max_concurrency: usize,
    /// Attempts per request (first try included) under the SDK's adaptive
    /// retry: exponential backoff with jitter, client-side rate limiting
    /// after throttling.
    pub max_attempts: u32,
    /// `--endpoint-url`, for emulators and private endpoints (also applied to
    /// the base `SdkConfig` by `access`; kept here for error messages).
    pub endpoint_url: Option<String>,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            max_concurrency: 16,
            max_attempts: 10,
            endpoint_url: None,
        }
    }
}

impl ScanConfig {
    /// The SDK retry policy for every client of the scan.
    pub fn retry_config(&self) -> RetryConfig {
        RetryConfig::adaptive().with_max_attempts(self.max_attempts.max(1))
    }
}

/// State shared by every call of one scan.
#[derive(Debug)]
pub struct ScanContext {
    config: ScanConfig,
    in_flight: Semaphore,
    skipped: Mutex<Vec<Skipped>>,
    progress: Progress,
}

impl ScanContext {
    pub fn new(config: &ScanConfig, progress: Progress) -> ScanContext {
        ScanContext {
            config: config.clone(),
            in_flight: Semaphore::new(config.max_concurrency.max(1)),
            skipped: Mutex::new(Vec::new()),
            progress,
        }
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
    /// retry policy of the scan are set on top.
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
    pub async fn call<T, E, R, F, Fut>(
        &self,
        action: &'static Action,
        request: F,
    ) -> anyhow::Result<Option<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, R>>>,
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        let _permit = self
            .shared
            .in_flight
            .acquire()
            .await
            .map_err(|_| anyhow!("the scan was stopped"))?;
        let error = match request().await {
            Ok(answer) => return Ok(Some(answer)),
            Err(error) => error,
        };
        let message = explain(
            &error,
            &action.iam_name(),
            &self.region,
            self.shared.config.endpoint_url.as_deref(),
            self.shared.config.max_attempts,
        );
        if classify(&error) != ErrorClass::AccessDenied || action.mandatory {
            bail!(message);
        }
        tracing::info!("{message}");
        self.shared.record_skip(Skipped {
            account: self.account.clone(),
            region: self.region.clone(),
            service: action.service.to_string(),
            action: action.iam_name(),
            reason: format!("access denied ({})", error.code().unwrap_or("AccessDenied")),
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
