//! A loopback stand-in for the AWS Price List Query API, the one service no
//! emulator implements (moto lists `pricing` as unimplemented). It answers
//! `AWSPriceListService.GetProducts` (awsJson1_1) in the documented shape:
//! `{"FormatVersion": "aws_v1", "PriceList": ["<product JSON>", …],
//! "NextToken": …}`, each product a JSON *string* with `product`
//! (`productFamily`, `attributes`, `sku`), `serviceCode`, `terms.OnDemand`
//! (`priceDimensions`: `unit`, `beginRange`, `endRange`, `description`,
//! `pricePerUnit.USD`, `rateCode`, `appliesTo`), `version` and
//! `publicationDate` — as in the AWS Price List Query API reference
//! (GetProducts) and botocore's `pricing/2017-10-15/service-2.json`, whose
//! `PriceList` is a list of `SynthesizedJsonPriceListJsonItem` strings.
//!
//! The fixtures are few and use AWS's published eu-west-1 prices; the
//! Compute Instance answer comes in two pages so paging is exercised. A
//! `deny` server refuses every call as IAM does (`AccessDeniedException`).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

/// One GetProducts call as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingCall {
    pub target: String,
    /// The SigV4 credential scope's region and service: `us-east-1/pricing`.
    pub scope: String,
    pub service_code: String,
    /// `Field=Value`, sorted.
    pub filters: Vec<String>,
    pub format_version: String,
    pub next_token: Option<String>,
}

pub struct PricingServer {
    address: SocketAddr,
    calls: Arc<Mutex<Vec<PricingCall>>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl PricingServer {
    /// Answers with the fixtures.
    pub fn start() -> PricingServer {
        PricingServer::spawn(false)
    }

    /// Refuses every call with `AccessDeniedException`.
    pub fn deny() -> PricingServer {
        PricingServer::spawn(true)
    }

    fn spawn(deny: bool) -> PricingServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("cannot bind the pricing server on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking socket");
        let address = listener.local_addr().expect("a bound address");
        let calls = Arc::new(Mutex::new(Vec::new()));
        let (shutdown, signal) = tokio::sync::oneshot::channel::<()>();
        let thread_calls = Arc::clone(&calls);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("the pricing server's runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio socket");
                tokio::pin!(signal);
                loop {
                    let stream = tokio::select! {
                        _ = &mut signal => break,
                        accepted = listener.accept() => match accepted {
                            Ok((stream, _)) => stream,
                            Err(_) => continue,
                        },
                    };
                    let calls = Arc::clone(&thread_calls);
                    tokio::spawn(async move {
                        let service =
                            service_fn(move |request| answer(request, Arc::clone(&calls), deny));
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
        });
        PricingServer {
            address,
            calls,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// The URL to give strata as `--endpoint-url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn calls(&self) -> Vec<PricingCall> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for PricingServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn answer(
    request: Request<Incoming>,
    calls: Arc<Mutex<Vec<PricingCall>>>,
    deny: bool,
) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await?.to_bytes();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let input: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let mut filters: Vec<String> = input["Filters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{}={}",
                f["Field"].as_str().unwrap_or(""),
                f["Value"].as_str().unwrap_or("")
            )
        })
        .collect();
    filters.sort();
    let scope = header("authorization")
        .split("Credential=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .map(|credential| {
            credential
                .split('/')
                .skip(2)
                .take(2)
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default();
    let call = PricingCall {
        target: header("x-amz-target"),
        scope,
        service_code: input["ServiceCode"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        filters,
        format_version: input["FormatVersion"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        next_token: input["NextToken"].as_str().map(str::to_string),
    };
    calls
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(call.clone());
    if deny {
        return Ok(json(
            StatusCode::BAD_REQUEST,
            Some("AccessDeniedException"),
            serde_json::json!({
                "__type": "AccessDeniedException",
                "Message": "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: pricing:GetProducts",
            }),
        ));
    }
    let family = call
        .filters
        .iter()
        .find_map(|f| f.strip_prefix("productFamily="))
        .unwrap_or_default()
        .to_string();
    let region = call
        .filters
        .iter()
        .find_map(|f| f.strip_prefix("regionCode="))
        .unwrap_or_default()
        .to_string();
    let (items, next) = match (call.service_code.as_str(), family.as_str(), region.as_str()) {
        ("AmazonEC2", "Compute Instance", "eu-west-1") => match call.next_token.as_deref() {
            None => (vec![instance("m5.large", "0.1070000000")], Some("page-2")),
            Some(_) => (vec![instance("t3.micro", "0.0114000000")], None),
        },
        ("AmazonEC2", "NAT Gateway", "eu-west-1") => (
            vec![
                product(
                    "AmazonEC2",
                    "NAT Gateway",
                    "EU-NatGateway-Hours",
                    "NATGWHOURS1",
                    "Hrs",
                    "0.0480000000",
                    "$0.048 per NAT Gateway Hour",
                ),
                product(
                    "AmazonEC2",
                    "NAT Gateway",
                    "EU-NatGateway-Bytes",
                    "NATGWBYTES1",
                    "GB",
                    "0.0480000000",
                    "$0.048 per GB Data Processed by NAT Gateways",
                ),
            ],
            None,
        ),
        _ => (Vec::new(), None),
    };
    let mut output = serde_json::json!({ "FormatVersion": "aws_v1", "PriceList": items });
    if let Some(next) = next {
        output["NextToken"] = next.into();
    }
    Ok(json(StatusCode::OK, None, output))
}

fn json(
    status: StatusCode,
    error_type: Option<&str>,
    body: serde_json::Value,
) -> Response<Full<Bytes>> {
    let mut response = Response::builder()
        .status(status)
        .header("content-type", "application/x-amz-json-1.1");
    if let Some(error_type) = error_type {
        response = response.header("x-amzn-errortype", error_type);
    }
    response
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("a valid response")
}

/// An EC2 Linux on-demand instance product in eu-west-1, as a PriceList string.
fn instance(itype: &str, usd: &str) -> String {
    let sku = format!("EC2{}", itype.replace('.', "").to_uppercase());
    item(
        "AmazonEC2",
        "Compute Instance",
        &sku,
        serde_json::json!({
            "servicecode": "AmazonEC2", "location": "EU (Ireland)", "locationType": "AWS Region",
            "regionCode": "eu-west-1", "instanceType": itype, "operatingSystem": "Linux",
            "tenancy": "Shared", "preInstalledSw": "NA", "licenseModel": "No License required",
            "capacitystatus": "Used", "marketoption": "OnDemand", "operation": "RunInstances",
            "usagetype": format!("EU-BoxUsage:{itype}"),
        }),
        "Hrs",
        usd,
        &format!(
            "${} per On Demand Linux {itype} Instance Hour",
            usd.trim_end_matches('0')
        ),
    )
}

fn product(
    service: &str,
    family: &str,
    usagetype: &str,
    sku: &str,
    unit: &str,
    usd: &str,
    description: &str,
) -> String {
    item(
        service,
        family,
        sku,
        serde_json::json!({
            "servicecode": service, "location": "EU (Ireland)", "locationType": "AWS Region",
            "regionCode": "eu-west-1", "usagetype": usagetype, "operation": "NatGateway",
        }),
        unit,
        usd,
        description,
    )
}

fn item(
    service: &str,
    family: &str,
    sku: &str,
    attributes: serde_json::Value,
    unit: &str,
    usd: &str,
    description: &str,
) -> String {
    let term = format!("{sku}.JRTCKXETXF");
    let rate = format!("{term}.6YS6EN2CT7");
    serde_json::json!({
        "product": {"productFamily": family, "attributes": attributes, "sku": sku},
        "serviceCode": service,
        "terms": {"OnDemand": {term.clone(): {
            "priceDimensions": {rate.clone(): {
                "unit": unit, "endRange": "Inf", "description": description, "appliesTo": [],
                "rateCode": rate, "beginRange": "0", "pricePerUnit": {"USD": usd},
            }},
            "sku": sku, "effectiveDate": "2026-11-01T00:00:00Z", "offerTermCode": "JRTCKXETXF",
            "termAttributes": {},
        }}},
        "version": "20261101000000",
        "publicationDate": "2026-11-01T00:00:00Z",
    })
    .to_string()
}
