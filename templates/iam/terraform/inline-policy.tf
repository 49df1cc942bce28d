
resource "aws_iam_role_policy" "strata_read" {
  name = {{policy_name}}
  role = aws_iam_role.strata_readonly.id
  policy = jsonencode({{policy}})
}
