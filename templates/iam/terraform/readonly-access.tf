
data "aws_partition" "current" {}

resource "aws_iam_role_policy_attachment" "strata_readonly_access" {
  role       = aws_iam_role.strata_readonly.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess"
}
