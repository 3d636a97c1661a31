"""Runs the AWS::Serverless transform on a template, as CloudFormation does at deploy time, and prints the result.

Usage: python3 sam_transform.py TEMPLATE '{"Parameter": "value", ...}'

Exit status 3 when samtranslator is not installed (cfn-lint brings it), so a caller can skip. Each CodeUri becomes
s3://bucket/<CodeUri>, as `sam deploy` turns it into the S3 location of the uploaded jar: the same jar, the same
location.
"""
import json
import os
import sys

try:
    from samtranslator.parser import parser
    from samtranslator.translator.translator import Translator
    from samtranslator.yaml_helper import yaml_parse
except ImportError:
    print("samtranslator is not installed (pip install cfn-lint brings it)", file=sys.stderr)
    sys.exit(3)


def managed_policies():
    try:
        from cfnlint.data import Serverless
        from cfnlint.helpers import load_resource

        return load_resource(Serverless, "ManagedPolicies.json")
    except Exception:  # cfn-lint absent or reorganised: the template names no managed policy by name
        return {}


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        template = yaml_parse(file.read())
    parameters = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties") or {}
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(properties.get("CodeUri"), str):
            properties["CodeUri"] = "s3://bucket/" + properties["CodeUri"]
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    translator = Translator(managed_policy_map=managed_policies(), sam_parser=parser.Parser())
    transformed = translator.translate(sam_template=template, parameter_values=parameters, passthrough_metadata=True)
    json.dump(transformed, sys.stdout, default=str)


if __name__ == "__main__":
    main()
