//! The read-only role a security team creates for strata in each account:
//! a trust policy that lets one account assume it only with the agreed
//! external id, and the permissions (strata's generated policy, or the
//! AWS-managed `ReadOnlyAccess`), printed as CloudFormation, Terraform or the
//! plain JSON documents.
//!
//! The CloudFormation and Terraform texts come from `templates/iam/`. Every
//! value put into them is JSON-encoded (a JSON string is a valid YAML and HCL
//! string, a JSON object a valid YAML flow mapping and HCL object) and was
//! validated by [`super::names`], so no input can break out of its field.
//! This module does not create anything in AWS; it only prints.

use serde::Serialize;

use super::names::{AccountId, ExternalId, RoleName};
use super::policy::{PolicyDocument, POLICY_LANGUAGE_VERSION};

/// The name of the inline policy that carries strata's permissions.
pub const INLINE_POLICY_NAME: &str = "strata-read";
/// The role name when none is given.
pub const DEFAULT_ROLE_NAME: &str = "strata-readonly";

const CLOUDFORMATION_ROLE: &str = include_str!("../../templates/iam/cloudformation/role.yaml");
const CLOUDFORMATION_INLINE_POLICY: &str =
    include_str!("../../templates/iam/cloudformation/inline-policy.yaml");
const CLOUDFORMATION_READONLY_ACCESS: &str =
    include_str!("../../templates/iam/cloudformation/readonly-access.yaml");
const TERRAFORM_ROLE: &str = include_str!("../../templates/iam/terraform/role.tf");
const TERRAFORM_INLINE_POLICY: &str =
    include_str!("../../templates/iam/terraform/inline-policy.tf");
const TERRAFORM_READONLY_ACCESS: &str =
    include_str!("../../templates/iam/terraform/readonly-access.tf");

/// Which kind of text `strata iam role` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleFormat {
    /// A CloudFormation template (YAML).
    Cloudformation,
    /// A Terraform configuration (HCL) for the AWS provider.
    Terraform,
    /// The role's properties as JSON, named as the IAM API and CloudFormation
    /// name them (for the console or `aws iam create-role`).
    Json,
}

/// What the role may do once assumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RolePermissions {
    /// strata's generated policy, attached inline.
    Policy(PolicyDocument),
    /// The AWS-managed `ReadOnlyAccess` policy (broader, never needs updating).
    ReadOnlyAccess,
}

/// Everything a role template needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRequest {
    /// The account strata runs in (the one allowed to assume the role).
    pub trusted_account: AccountId,
    pub external_id: ExternalId,
    pub role_name: RoleName,
    pub permissions: RolePermissions,
}

/// A trust policy: who may assume the role, and on what condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TrustPolicy {
    pub version: &'static str,
    pub statement: Vec<TrustStatement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TrustStatement {
    pub sid: &'static str,
    pub effect: &'static str,
    pub principal: AwsPrincipal,
    pub action: &'static str,
    pub condition: ExternalIdCondition,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwsPrincipal {
    /// A bare account id: IAM reads it as that account's root in whatever
    /// partition the role lives, so the template works in GovCloud and China
    /// too. The account's own IAM policies then decide which of its
    /// principals may call `sts:AssumeRole`.
    #[serde(rename = "AWS")]
    pub aws: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalIdCondition {
    #[serde(rename = "StringEquals")]
    pub string_equals: ExternalIdEquals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalIdEquals {
    #[serde(rename = "sts:ExternalId")]
    pub external_id: String,
}

/// The trust policy of strata's role: only `account`, only with `external_id`.
pub fn trust_policy(account: &AccountId, external_id: &ExternalId) -> TrustPolicy {
    TrustPolicy {
        version: POLICY_LANGUAGE_VERSION,
        statement: vec![TrustStatement {
            sid: "StrataAssumeWithExternalId",
            effect: "Allow",
            principal: AwsPrincipal {
                aws: account.to_string(),
            },
            action: "sts:AssumeRole",
            condition: ExternalIdCondition {
                string_equals: ExternalIdEquals {
                    external_id: external_id.to_string(),
                },
            },
        }],
    }
}

/// The role's properties in the JSON form (`AWS::IAM::Role` property names).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct RoleProperties<'a> {
    role_name: &'a str,
    description: String,
    max_session_duration: u32,
    assume_role_policy_document: TrustPolicy,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    policies: Vec<InlinePolicy<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    managed_policy_arns: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct InlinePolicy<'a> {
    policy_name: &'static str,
    policy_document: &'a PolicyDocument,
}

/// Longest session the role allows: one hour, the IAM default, which is the
/// longest `strata scan --duration` asks for unless the role is changed.
const MAX_SESSION_SECONDS: u32 = 3600;

/// The role as text in `format`, ending with a newline.
pub fn render(request: &RoleRequest, format: RoleFormat) -> String {
    let description = format!(
        "Read-only role that strata assumes from account {} with an external id, to draw this account",
        request.trusted_account
    );
    let trust = trust_policy(&request.trusted_account, &request.external_id);
    let (role_template, inline_template, managed_template, style) = match format {
        RoleFormat::Json => return render_json(request, description, trust),
        RoleFormat::Cloudformation => (
            CLOUDFORMATION_ROLE,
            CLOUDFORMATION_INLINE_POLICY,
            CLOUDFORMATION_READONLY_ACCESS,
            DocumentStyle::Json,
        ),
        RoleFormat::Terraform => (
            TERRAFORM_ROLE,
            TERRAFORM_INLINE_POLICY,
            TERRAFORM_READONLY_ACCESS,
            DocumentStyle::Hcl,
        ),
    };
    let permissions = match &request.permissions {
        RolePermissions::Policy(document) => fill(
            inline_template,
            &[
                ("policy_name", json_string(INLINE_POLICY_NAME)),
                ("policy", style.encode(document)),
            ],
        ),
        RolePermissions::ReadOnlyAccess => fill(managed_template, &[]),
    };
    fill(
        role_template,
        &[
            (
                "strata_version",
                format!("strata {}", env!("CARGO_PKG_VERSION")),
            ),
            ("description", json_string(&description)),
            ("role_name", json_string(request.role_name.as_str())),
            ("trust_policy", style.encode(&trust)),
            ("permissions", permissions),
        ],
    )
}

/// The JSON form: the role's properties, serialized (no template needed).
fn render_json(request: &RoleRequest, description: String, trust: TrustPolicy) -> String {
    let (policies, managed_policy_arns) = match &request.permissions {
        RolePermissions::Policy(document) => (
            vec![InlinePolicy {
                policy_name: INLINE_POLICY_NAME,
                policy_document: document,
            }],
            Vec::new(),
        ),
        RolePermissions::ReadOnlyAccess => {
            (Vec::new(), vec!["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        }
    };
    let properties = RoleProperties {
        role_name: request.role_name.as_str(),
        description,
        max_session_duration: MAX_SESSION_SECONDS,
        assume_role_policy_document: trust,
        policies,
        managed_policy_arns,
    };
    let mut text =
        serde_json::to_string_pretty(&properties).expect("role properties always serialize");
    text.push('\n');
    text
}

fn json_string(value: &str) -> String {
    serde_json::to_string(value).expect("a string always serializes")
}

/// How a policy document is written into a template.
#[derive(Debug, Clone, Copy)]
enum DocumentStyle {
    /// Pretty JSON: a valid YAML flow mapping.
    Json,
    /// Pretty JSON spaced as `terraform fmt` spaces an HCL object
    /// (`"Effect" : "Allow"`), so the output passes `terraform fmt -check`.
    Hcl,
}

impl DocumentStyle {
    fn encode(self, value: &impl Serialize) -> String {
        let mut bytes = Vec::new();
        let written = match self {
            DocumentStyle::Json => value.serialize(&mut serde_json::Serializer::with_formatter(
                &mut bytes,
                serde_json::ser::PrettyFormatter::new(),
            )),
            DocumentStyle::Hcl => value.serialize(&mut serde_json::Serializer::with_formatter(
                &mut bytes,
                HclObjectFormatter::default(),
            )),
        };
        written.expect("a policy document always serializes");
        String::from_utf8(bytes).expect("serde_json writes UTF-8")
    }
}

/// serde_json's pretty printer with one change: a space before the `:` of
/// every object item, which is how HCL's formatter writes an object.
/// (serde_json's `Formatter` is the extension point for exactly this; every
/// other method is the pretty printer's own.)
#[derive(Default)]
struct HclObjectFormatter(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for HclObjectFormatter {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.begin_array(writer)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_array(writer)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(writer, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        self.0.end_array_value(writer)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.begin_object(writer)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_object(writer)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(writer, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b" : ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// Replace each `{{name}}` in `template` with its value. A multi-line value
/// continues at the indentation of the line the placeholder stands on, so a
/// JSON document nests correctly inside YAML and HCL. Values are inserted
/// once and never scanned for placeholders themselves.
///
/// Hand-written rather than a template engine: the templates have a fixed
/// handful of placeholders whose values are already encoded, and an engine
/// would bring its own escaping rules, which are wrong for YAML and HCL.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let (before, from_marker) = rest.split_at(start);
        out.push_str(before);
        let end = from_marker
            .find("}}")
            .expect("every {{ in a strata template is closed");
        let name = &from_marker[2..end];
        let value = values
            .iter()
            .find_map(|(key, value)| (*key == name).then_some(value))
            .unwrap_or_else(|| panic!("template placeholder {{{{{name}}}}} has no value"));
        let line_start = out.rfind('\n').map_or(0, |newline| newline + 1);
        let indent: String = out[line_start..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let value = value.strip_suffix('\n').unwrap_or(value);
        out.push_str(&value.replace('\n', &format!("\n{indent}")));
        rest = &from_marker[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::policy::{generate, PolicyForm};
    use crate::scan::action::Action;

    fn request(permissions: RolePermissions) -> RoleRequest {
        RoleRequest {
            trusted_account: "123456789012".parse().unwrap(),
            external_id: "ext-7f3a9c:team/a=b".parse().unwrap(),
            role_name: "strata-readonly".parse().unwrap(),
            permissions,
        }
    }

    fn minimal_policy() -> PolicyDocument {
        let table = [
            Action {
                service: "ec2",
                name: "DescribeVpcs",
                feeds: "VPCs",
                mandatory: true,
            },
            Action {
                service: "rds",
                name: "DescribeDBInstances",
                feeds: "RDS DB instances",
                mandatory: false,
            },
        ];
        generate(&table, PolicyForm::Minimal).unwrap()
    }

    fn expected_trust() -> serde_json::Value {
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "StrataAssumeWithExternalId",
                "Effect": "Allow",
                "Principal": {"AWS": "123456789012"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": "ext-7f3a9c:team/a=b"}},
            }],
        })
    }

    #[test]
    fn json_form_holds_the_trust_and_the_inline_policy() {
        let text = render(
            &request(RolePermissions::Policy(minimal_policy())),
            RoleFormat::Json,
        );
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["RoleName"], "strata-readonly");
        assert_eq!(value["MaxSessionDuration"], 3600);
        assert_eq!(value["AssumeRolePolicyDocument"], expected_trust());
        assert_eq!(
            value["Policies"],
            serde_json::json!([{
                "PolicyName": "strata-read",
                "PolicyDocument": serde_json::to_value(minimal_policy()).unwrap(),
            }])
        );
        assert!(value.get("ManagedPolicyArns").is_none());
    }

    #[test]
    fn json_form_with_readonly_access_has_no_inline_policy() {
        let text = render(&request(RolePermissions::ReadOnlyAccess), RoleFormat::Json);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            value["ManagedPolicyArns"],
            serde_json::json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        );
        assert!(value.get("Policies").is_none());
        assert_eq!(value["AssumeRolePolicyDocument"], expected_trust());
    }

    /// The text between `open` and the matching close of a JSON value that
    /// starts right after `marker`.
    fn json_after(text: &str, marker: &str) -> serde_json::Value {
        let start = text
            .find(marker)
            .unwrap_or_else(|| panic!("{marker:?} missing"))
            + marker.len();
        let mut stream = serde_json::Deserializer::from_str(text[start..].trim_start())
            .into_iter::<serde_json::Value>();
        stream.next().unwrap().unwrap()
    }

    #[test]
    fn terraform_embeds_the_documents_with_jsonencode() {
        let text = render(
            &request(RolePermissions::Policy(minimal_policy())),
            RoleFormat::Terraform,
        );
        assert_eq!(
            json_after(&text, "assume_role_policy = jsonencode("),
            expected_trust()
        );
        assert_eq!(
            json_after(&text, "\n  policy = jsonencode("),
            serde_json::to_value(minimal_policy()).unwrap()
        );
        assert!(text.contains("  name                 = \"strata-readonly\"\n"));
        assert!(text.contains("resource \"aws_iam_role_policy\" \"strata_read\""));
        assert!(!text.contains("ReadOnlyAccess"));
        assert!(!text.contains("{{"), "unfilled placeholder in\n{text}");
        // Every brace and parenthesis outside strings is balanced.
        assert_balanced(&text);

        let managed = render(
            &request(RolePermissions::ReadOnlyAccess),
            RoleFormat::Terraform,
        );
        assert!(managed.contains(
            "policy_arn = \"arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess\""
        ));
        assert!(!managed.contains("aws_iam_role_policy\""));
        assert_balanced(&managed);
    }

    /// `terraform fmt`'s layout, as its documentation and HCL's formatter
    /// (hclwrite) define it: two spaces per nesting level (a line opening
    /// several brackets, `jsonencode({`, opens one level); within a run of
    /// consecutive single-line arguments at one level the `=` signs line up,
    /// one space after the longest name; an argument whose value spans lines
    /// ends the run and has one space before its `=`; an object item is
    /// `key : value`; no tabs or trailing blanks; one final newline.
    fn assert_terraform_fmt_layout(text: &str) {
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "not one final newline:\n{text}"
        );
        // Open brackets per line that opened them, innermost last.
        let mut open: Vec<usize> = Vec::new();
        // The `=` columns of the current run of single-line arguments.
        let mut run: Vec<(usize, usize, &str)> = Vec::new();
        let check_run = |run: &mut Vec<(usize, usize, &str)>| {
            let longest = run.iter().map(|(_, name, _)| *name).max().unwrap_or(0);
            for (indent, _, line) in run.drain(..) {
                assert_eq!(
                    line.find('='),
                    Some(indent + longest + 1),
                    "`=` not aligned in its run: {line:?}"
                );
            }
        };
        for line in text.lines() {
            assert!(
                !line.contains('\t') && !line.ends_with(' '),
                "tab or trailing blank: {line:?}"
            );
            let body = line.trim_start();
            let indent = line.len() - body.len();
            if body.is_empty() || body.starts_with('#') {
                check_run(&mut run);
                continue;
            }
            let leading_closers = body
                .chars()
                .take_while(|c| matches!(c, '}' | ')' | ']'))
                .count();
            for _ in 0..leading_closers {
                let innermost = open.last_mut().expect("a closer without an opener");
                *innermost -= 1;
                if *innermost == 0 {
                    open.pop();
                }
            }
            assert_eq!(indent, 2 * open.len(), "indentation of {line:?}");
            let (mut opened, mut in_string, mut escaped) = (0usize, false, false);
            for c in body.chars().skip(leading_closers) {
                if in_string {
                    match (escaped, c) {
                        (false, '\\') => escaped = true,
                        (false, '"') => in_string = false,
                        _ => escaped = false,
                    }
                    continue;
                }
                match c {
                    '"' => in_string = true,
                    '{' | '(' | '[' => opened += 1,
                    '}' | ')' | ']' if opened > 0 => opened -= 1,
                    '}' | ')' | ']' => {
                        let innermost = open.last_mut().expect("a closer without an opener");
                        *innermost -= 1;
                        if *innermost == 0 {
                            open.pop();
                        }
                    }
                    _ => {}
                }
            }
            assert!(!in_string, "a string left open: {line:?}");
            if let Some(key_end) = body.strip_prefix('"').and_then(|key| key.find('"')) {
                let after = &body[key_end + 2..];
                assert!(
                    !after.trim_start().starts_with(':') || after.starts_with(" : "),
                    "an object item not spaced `key : value`: {line:?}"
                );
            }
            let name_length = body
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
                .count();
            let after_name = &body[name_length..];
            let name = (name_length > 0
                && after_name.starts_with(' ')
                && after_name.trim_start_matches(' ').starts_with("= "))
            .then_some(name_length);
            match (name, opened) {
                (Some(name), 0) => {
                    if run.first().is_some_and(|(first, _, _)| *first != indent) {
                        check_run(&mut run);
                    }
                    run.push((indent, name, line));
                }
                (Some(name), _) => {
                    check_run(&mut run);
                    assert!(
                        body[name..].starts_with(" = "),
                        "a multi-line argument stands alone: {line:?}"
                    );
                }
                (None, _) => check_run(&mut run),
            }
            if opened > 0 {
                open.push(opened);
            }
        }
        check_run(&mut run);
        assert!(open.is_empty(), "brackets left open in\n{text}");
    }

    #[test]
    fn terraform_is_laid_out_as_terraform_fmt_writes_it() {
        let custom = generate(&crate::scan::all_actions(), PolicyForm::Custom).unwrap();
        let minimal = generate(&crate::scan::all_actions(), PolicyForm::Minimal).unwrap();
        for permissions in [
            RolePermissions::Policy(minimal),
            RolePermissions::Policy(custom),
            RolePermissions::ReadOnlyAccess,
        ] {
            assert_terraform_fmt_layout(&render(&request(permissions), RoleFormat::Terraform));
        }
        let text = render(
            &request(RolePermissions::Policy(minimal_policy())),
            RoleFormat::Terraform,
        );
        let role = &text[text.find("resource \"aws_iam_role\"").unwrap()..];
        assert!(
            role.starts_with(concat!(
                "resource \"aws_iam_role\" \"strata_readonly\" {\n",
                "  name                 = \"strata-readonly\"\n",
                "  description          = \"Read-only role that strata assumes from account 123456789012 with an external id, to draw this account\"\n",
                "  max_session_duration = 3600\n",
                "  assume_role_policy = jsonencode({\n",
                "    \"Version\" : \"2012-10-17\",\n",
                "    \"Statement\" : [\n",
                "      {\n",
                "        \"Sid\" : \"StrataAssumeWithExternalId\",\n",
            )),
            "{role}"
        );
        assert!(text.contains(concat!(
            "resource \"aws_iam_role_policy\" \"strata_read\" {\n",
            "  name = \"strata-read\"\n",
            "  role = aws_iam_role.strata_readonly.id\n",
            "  policy = jsonencode({\n",
        )));
    }

    #[test]
    fn cloudformation_nests_the_documents_under_the_role() {
        let text = render(
            &request(RolePermissions::Policy(minimal_policy())),
            RoleFormat::Cloudformation,
        );
        assert_eq!(
            json_after(&text, "AssumeRolePolicyDocument:"),
            expected_trust()
        );
        assert_eq!(
            json_after(&text, "\n          PolicyDocument:"),
            serde_json::to_value(minimal_policy()).unwrap()
        );
        // Flow mappings continue deeper than the key that holds them.
        let trust_line = text
            .lines()
            .find(|line| line.trim_start().starts_with("\"Sid\": \"StrataAssume"))
            .unwrap();
        assert!(
            trust_line.starts_with("              \"Sid\""),
            "{trust_line:?}"
        );
        assert!(text.contains("      RoleName: \"strata-readonly\"\n"));
        assert!(text.contains("      Policies:\n        - PolicyName: \"strata-read\"\n"));
        assert!(!text.contains("{{"), "unfilled placeholder in\n{text}");
        assert_balanced(&text);

        let managed = render(
            &request(RolePermissions::ReadOnlyAccess),
            RoleFormat::Cloudformation,
        );
        assert!(managed.contains(
            "      ManagedPolicyArns:\n        - Fn::Sub: \"arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess\"\n"
        ));
        assert!(!managed.contains("Policies:"));
    }

    fn assert_balanced(text: &str) {
        let mut stack = Vec::new();
        let mut in_string = false;
        let mut escaped = false;
        for c in text.chars() {
            if in_string {
                match (escaped, c) {
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => escaped = false,
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '(' | '[' => stack.push(c),
                '}' => assert_eq!(stack.pop(), Some('{'), "in\n{text}"),
                ')' => assert_eq!(stack.pop(), Some('('), "in\n{text}"),
                ']' => assert_eq!(stack.pop(), Some('['), "in\n{text}"),
                _ => {}
            }
        }
        assert!(stack.is_empty() && !in_string, "unbalanced:\n{text}");
    }

    #[test]
    fn fill_indents_continuation_lines_at_the_placeholder() {
        let filled = fill(
            "a:\n  key: {{value}}\n{{block}}\nend",
            &[
                ("value", "{\n  \"x\": 1\n}".to_string()),
                ("block", "b:\n  c\n".to_string()),
            ],
        );
        assert_eq!(filled, "a:\n  key: {\n    \"x\": 1\n  }\nb:\n  c\nend");
    }
}
