"""Strict YAML: safe loading, duplicate keys rejected, dates kept as text, positions kept.

Parsing is bounded (docs/security.md, "Limits"): a document larger than
:data:`MAX_DOCUMENT_BYTES`, nested deeper than :data:`MAX_DEPTH`, with more than
:data:`MAX_NODES` nodes, more than :data:`MAX_ALIASES` aliases or aliases adding more than
:data:`MAX_ALIAS_NODES` nodes, a scalar longer
than :data:`MAX_SCALAR_CHARS`, a number that is not finite or beyond :data:`MAX_INTEGER`, or a
tag on any node is a located problem, never a hang, a crash or a silent drop.
PyYAML is imported on first parse, not with this module (a cached rulebook needs no parser).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._repr import FieldRepr
from ._yaml_limits import (
    MAX_ALIAS_NODES,
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_INTEGER,
    MAX_NODES,
    MAX_SCALAR_CHARS,
    located,
)
from .errors import Problem

if TYPE_CHECKING:
    from pathlib import Path

    import yaml
__all__ = ["MAX_ALIASES", "MAX_ALIAS_NODES", "MAX_DEPTH", "MAX_DOCUMENT_BYTES", "MAX_INTEGER", "MAX_NODES",
           "MAX_SCALAR_CHARS", "Marks", "YamlDocument", "load_yaml_file", "load_yaml_text"]

Marks = dict[tuple[str | int, ...], tuple[int, int]]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_SEQ = "tag:yaml.org,2002:seq"
#: The tags whose scalar is its text as written (dates stay text: govdisclose parses them)
_TEXT_TAGS = (_STR, _TIMESTAMP)
_MAP = "tag:yaml.org,2002:map"
#: An integer written with more characters than this is out of range without converting it.
_MAX_INT_TEXT = 100


@dataclass(frozen=True, repr=False, eq=False)
class YamlDocument(FieldRepr):
    """Plain data plus, on demand, the 1-based ``(line, column)`` of every node by JSON path.

    Positions are only needed to report problems, so they are computed from the retained
    node tree the first time :meth:`locate` is called.
    """

    data: Any
    node: yaml.Node | None
    file: str
    problems: tuple[Problem, ...] = ()
    _marks: Marks = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of_data(cls, data: Any, file: str) -> YamlDocument:
        """The document of ``data`` passed in, built at once (one per dict request parsed)."""
        doc: YamlDocument = object.__new__(cls)
        doc.__dict__.update(data=data, node=None, file=file, problems=(), _marks={})
        return doc

    @property
    def marks(self) -> Marks:
        if not self._marks and self.node is not None:
            _collect_marks(self.node, (), self._marks)
        return self._marks

    def locate(self, path: tuple[str | int, ...]) -> tuple[int | None, int | None]:
        """The position of ``path`` or of its nearest located ancestor."""
        marks = self.marks
        probe = path
        while True:
            if probe in marks:
                return marks[probe]
            if not probe:
                return (None, None)
            probe = probe[:-1]

    def problem(
        self, path: tuple[str | int, ...], code: str, zh: str, en: str
    ) -> Problem:
        """A :class:`Problem` located at ``path`` in this document."""
        line, column = self.locate(path)
        return Problem(code, zh, en, self.file, line, column, path)


def _collect_marks(node: yaml.Node, path: tuple[str | int, ...], out: Marks) -> None:
    import yaml
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if (*path, key) not in out:  # the first of duplicate keys wins, as in the data
                _collect_marks(value_node, (*path, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _collect_marks(item, (*path, i), out)


class _Builder:
    """Plain data from a node tree; counts nodes again with aliases expanded."""

    def __init__(self, loader: yaml.SafeLoader, file: str, budget: int) -> None:
        self.loader = loader
        self.file = file
        self.problems: list[Problem] = []
        self.nodes = 0
        self.budget = budget  # the nodes as written plus what aliases may add
        self.limit: Problem | None = None

    def _problem(self, node: yaml.Node, path: tuple[str | int, ...], code: str, zh: str,
                 en: str) -> None:
        self.problems.append(located(code, zh, en, self.file, node.start_mark, path))

    def build(self, node: yaml.Node, path: tuple[str | int, ...], depth: int = 1) -> Any:
        import yaml
        if self.limit is not None:
            return None
        self.nodes += 1
        if self.nodes > self.budget or depth > MAX_DEPTH:
            # The tree as written is within the limits, so the aliases are what exceeds them.
            self.limit = located(
                "yaml.aliases",
                f"别名展开后多出 {MAX_ALIAS_NODES} 个以上节点或超过 {MAX_DEPTH} 层嵌套"
                "（或别名指向自身）",
                f"aliases expand to more than {MAX_ALIAS_NODES} extra nodes or more than "
                f"{MAX_DEPTH} levels of nesting (or an alias refers to itself)",
                self.file, node.start_mark, path)
            return None
        if not isinstance(node, yaml.ScalarNode) and node.tag not in (_MAP, _SEQ):
            self._tag(node, path)
        # A child that is a text scalar (most keys and values) is taken at once and counted as
        # build() would count it, where that reaches no limit; any other child goes to build().
        scalar, inner = yaml.ScalarNode, depth + 1
        shallow = inner <= MAX_DEPTH
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is scalar and key_node.tag in _TEXT_TAGS and shallow \
                        and self.nodes < self.budget and self.limit is None:
                    self.nodes += 1
                    key = key_node.value
                else:
                    key = self.build(key_node, (*path, "<key>"), inner)
                    if not isinstance(key, str):
                        key = str(key)
                if key in out:
                    line = key_node.start_mark.line + 1
                    first = next((k.start_mark.line + 1 for k, _ in node.value
                                  if isinstance(k, yaml.ScalarNode) and k.value == key), None)
                    self.problems.append(
                        Problem(
                            "yaml.duplicate_key",
                            f"键 {key!r} 重复（首次出现在第 {first} 行）；请删除或合并其中一个",
                            f"duplicate key {key!r} (first defined on line {first}); "
                            "remove or merge one of them",
                            self.file,
                            line,
                            key_node.start_mark.column + 1,
                            (*path, key),
                        )
                    )
                    continue
                if type(value_node) is scalar and value_node.tag in _TEXT_TAGS and shallow \
                        and self.nodes < self.budget and self.limit is None:
                    self.nodes += 1
                    out[key] = value_node.value
                else:
                    out[key] = self.build(value_node, (*path, key), inner)
            return out
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                if type(item) is scalar and item.tag in _TEXT_TAGS and shallow \
                        and self.nodes < self.budget and self.limit is None:
                    self.nodes += 1
                    items.append(item.value)
                else:
                    items.append(self.build(item, (*path, i), inner))
            return items
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == _TIMESTAMP:
            # Dates stay text: govdisclose parses them itself, with its own messages.
            return node.value
        if node.tag == _STR:
            return node.value
        if node.tag in _PLAIN_TAGS:
            return self._number(node, path)
        self._tag(node, path)
        return node.value

    def _tag(self, node: yaml.Node, path: tuple[str | int, ...]) -> None:
        self._problem(node, path, "yaml.tag", f"不支持的 YAML 标签 {node.tag}",
                      f"unsupported YAML tag {node.tag}")

    def _number(self, node: yaml.ScalarNode, path: tuple[str | int, ...]) -> Any:
        """A plain scalar's value; numbers must be finite and at most :data:`MAX_INTEGER`."""
        if node.tag == _INT and len(node.value) > _MAX_INT_TEXT:
            value: Any = None  # not even converted: int() of 5000 digits raises
        else:
            value = self.loader.construct_object(node, deep=True)
        if node.tag == _FLOAT and not math.isfinite(value):
            self._problem(node, path, "yaml.not_finite", f"数值 {node.value} 不是有限数",
                          f"{node.value} is not a finite number")
            return None
        if node.tag == _INT and (value is None or abs(value) > MAX_INTEGER):
            shown = node.value if len(node.value) <= 40 else f"{node.value[:20]}…"
            self._problem(node, path, "yaml.number_too_large",
                          f"整数 {shown} 超出范围（绝对值最大 {MAX_INTEGER}）",
                          f"the integer {shown} is out of range (magnitude at most {MAX_INTEGER})")
            return None
        return value


def load_yaml_text(text: str, file: str = "<string>") -> YamlDocument:
    """Parse one YAML document strictly; syntax errors and exceeded limits become problems,
    not exceptions."""
    import yaml
    if _utf8_size(text) > MAX_DOCUMENT_BYTES:
        return YamlDocument(None, None, file, (_too_large(file),))
    # libyaml's parser when PyYAML was built with it (about 10x faster), else pure Python; both
    # only compose nodes here (no object construction beyond plain scalars), so they agree.
    loader: yaml.SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    from ._yaml_composer import compose
    try:
        composed = compose(loader, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or "syntax error"
        return YamlDocument(
            None,
            None,
            file,
            (
                Problem(
                    "yaml.syntax",
                    f"YAML 语法错误：{reason}（请检查缩进、冒号和引号）",
                    f"YAML syntax error: {reason} (check indentation, colons and quotes)",
                    file,
                    mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None,
                ),
            ),
        )
    except yaml.YAMLError as exc:
        return YamlDocument(
            None, None, file, (Problem("yaml.syntax", f"YAML 错误：{exc}", f"YAML error: {exc}", file),)
        )
    finally:
        loader.dispose()
    if isinstance(composed, Problem):
        return YamlDocument(None, None, file, (composed,))
    node, nodes = composed
    if node is None:
        return YamlDocument(None, None, file)
    builder = _Builder(loader, file, nodes + MAX_ALIAS_NODES)
    data = builder.build(node, ())
    if builder.limit is not None:
        return YamlDocument(None, None, file, (builder.limit,))
    return YamlDocument(data, node, file, tuple(builder.problems))


def _utf8_size(text: str) -> int:
    """The UTF-8 size of ``text``, or a bound on it when that settles the size check."""
    if len(text) > MAX_DOCUMENT_BYTES or len(text) * 4 <= MAX_DOCUMENT_BYTES:
        return len(text)  # at least / at most this many bytes
    return len(text.encode("utf-8", "surrogatepass"))


def _too_large(file: str) -> Problem:
    limit = f"{MAX_DOCUMENT_BYTES:,}"
    return Problem("yaml.too_large", f"文件超过 {limit} 字节的上限", f"the document is larger "
                   f"than the limit of {limit} bytes", file)


def load_yaml_file(path: Path, display: str | None = None) -> YamlDocument:
    """Read and parse ``path`` (UTF-8, BOM tolerated)."""
    name = display or str(path)
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:  # refused before it is read
            return YamlDocument(None, None, name, (_too_large(name),))
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return YamlDocument(
            None,
            None,
            name,
            (Problem("file.unreadable", f"无法读取文件：{exc}", f"cannot read file: {exc}", name),),
        )
    return load_yaml_text(text, name)
