"""The open data API's documentation as a page of the portal, read from its OpenAPI
schema: every operation with its parameters and responses, and every shape it returns. A
server-rendered GOV.UK page rather than Swagger UI, whose page fails the portal's
accessibility gate (contrast, nested controls, no language) and needs JavaScript."""

from dataclasses import dataclass, field

REF = "#/components/schemas/"


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    kind: str
    rules: str


@dataclass
class Reply:
    status: str
    description: str
    content_type: str
    shape: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    tag: str
    parameters: list[Parameter] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "op-" + "".join(c if c.isalnum() else "-" for c in self.path).strip("-")

    @property
    def example(self) -> str | None:
        """An address to open as it is, for a GET without path parameters."""
        return None if "{" in self.path or self.method != "GET" else self.path


@dataclass
class Field:
    name: str
    kind: str
    required: bool


@dataclass
class Shape:
    name: str
    description: str
    fields: list[Field]
    values: list[str]


def kind_of(schema: dict) -> str:
    """A schema's type in words: "integer", "array of RecommendationOut", "Status or null"."""
    if "$ref" in schema:
        return schema["$ref"].removeprefix(REF)
    if "anyOf" in schema:
        return " or ".join(kind_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {kind_of(schema.get('items', {}))}"
    if "format" in schema:
        return f"{schema.get('type', 'string')} ({schema['format']})"
    return schema.get("type", "any")


def _rules(schema: dict) -> str:
    words = []
    if "default" in schema:
        words.append(f"default {schema['default']}")
    if "minimum" in schema:
        words.append(f"at least {schema['minimum']}")
    if "maximum" in schema:
        words.append(f"at most {schema['maximum']}")
    return ", ".join(words)


def read(schema: dict) -> tuple[list[Operation], list[Shape]]:
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            operation = Operation(
                method=method.upper(),
                path=path,
                summary=op.get("summary", ""),
                description=op.get("description", ""),
                tag=(op.get("tags") or [""])[0],
            )
            for parameter in op.get("parameters", []):
                operation.parameters.append(
                    Parameter(
                        name=parameter["name"],
                        where=parameter["in"],
                        required=parameter.get("required", False),
                        kind=kind_of(parameter.get("schema", {})),
                        rules=_rules(parameter.get("schema", {})),
                    )
                )
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                operation.parameters.append(
                    Parameter(
                        name=kind_of(body["schema"]),
                        where="body (JSON)",
                        required=op["requestBody"].get("required", False),
                        kind=kind_of(body["schema"]),
                        rules="",
                    )
                )
            for status, reply in op.get("responses", {}).items():
                for content_type, body in (reply.get("content") or {"": {}}).items():
                    operation.replies.append(
                        Reply(
                            str(status),
                            reply.get("description", ""),
                            content_type,
                            kind_of(body.get("schema", {})) if body else "",
                        )
                    )
            operations.append(operation)
    shapes = [
        Shape(
            name=name,
            description=shape.get("description", ""),
            fields=[
                Field(key, kind_of(value), key in shape.get("required", []))
                for key, value in shape.get("properties", {}).items()
            ],
            values=[str(v) for v in shape.get("enum", [])],
        )
        for name, shape in schema.get("components", {}).get("schemas", {}).items()
        if name not in ("Input", "RecommendationFilter")  # parameters, listed with each call
    ]
    return operations, shapes
