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

from .errors import Problem

if TYPE_CHECKING:
    from pathlib import Path

    import yaml
__all__ = ["MAX_ALIASES", "MAX_ALIAS_NODES", "MAX_DEPTH", "MAX_DOCUMENT_BYTES", "MAX_INTEGER", "MAX_NODES",
           "MAX_SCALAR_CHARS", "Marks", "YamlDocument", "load_yaml_file", "load_yaml_text"]

# The limits, far above any real file: the largest bundled one (rules/huadian.yaml) has
# 149,296 bytes, 6,047 nodes, depth 14, no alias and no scalar over 1,256 characters.
#: Largest document, in UTF-8 bytes (about 28 times huadian.yaml).
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
#: Deepest nesting of lists and mappings (the bundled files reach 14).
MAX_DEPTH = 100
#: Most nodes (scalars, lists, mappings) as written (about 16 times huadian.yaml).
MAX_NODES = 100_000
#: Most alias references (``*name``) in a document (the bundled files use none).
MAX_ALIASES = 1_000
#: Most nodes the aliases may add when expanded (a "billion laughs" stops here).
MAX_ALIAS_NODES = 10_000
#: Longest scalar (key or value), in characters.
MAX_SCALAR_CHARS = 65_536
#: Largest integer magnitude (2**53 - 1: exact in every JSON reader); floats must be finite.
MAX_INTEGER = 2**53 - 1

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
_MAP = "tag:yaml.org,2002:map"
#: An integer written with more characters than this is out of range without converting it.
_MAX_INT_TEXT = 100


@dataclass(frozen=True)
class YamlDocument:
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


def _limit(code: str, zh: str, en: str, file: str, mark: Any,
           path: tuple[str | int, ...] = ()) -> Problem:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return Problem(code, zh, en, file, line, column, path)


def _too_long(file: str, mark: Any, path: tuple[str | int, ...]) -> Problem:
    return _limit("yaml.scalar_too_long", f"文本超过 {MAX_SCALAR_CHARS} 个字符的上限",
                  f"a scalar is longer than the limit of {MAX_SCALAR_CHARS} characters",
                  file, mark, path)


def _open_path(stack: list[list[Any]], *, next_child: bool) -> tuple[str | int, ...]:
    """The JSON path of the innermost open collection, or of the node about to join it."""
    import yaml
    path: list[str | int] = []
    for i, (node, pending) in enumerate(stack):
        last = i == len(stack) - 1
        if last and not next_child:
            break
        if isinstance(node, yaml.SequenceNode):
            path.append(len(node.value) - (0 if last else 1))
        elif last or pending is None:  # the open child is the value of a key
            key = pending if last else node.value[-1][0]
            if key is not None:
                path.append(key.value if isinstance(key, yaml.ScalarNode) else "<key>")
        else:  # a collection used as a key
            path.append("<key>")
    return tuple(path)


def _compose(loader: Any, file: str) -> tuple[yaml.Node | None, int] | Problem:
    """The single document's node tree, composed without recursion and within the limits
    (what ``Composer.get_single_node`` does, plus the counting).  ``loader`` is a
    ``CSafeLoader`` or ``SafeLoader``, whose event methods the stubs leave untyped.
    Returns the root (None for an empty stream) and the number of nodes."""
    import yaml
    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return None, 0
    start = loader.get_event()  # document start
    anchors: dict[str, yaml.Node] = {}
    stack: list[list[Any]] = []  # [open collection, its pending key node or None]
    root: yaml.Node | None = None
    nodes = aliases = 0
    while root is None or stack:
        event: Any = loader.get_event()
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()[0].end_mark = event.end_mark
            continue
        node: yaml.Node
        mark: Any = event.start_mark  # libyaml's Mark or PyYAML's
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                return _limit("yaml.aliases", f"别名（*）超过 {MAX_ALIASES} 个的上限",
                              f"more than {MAX_ALIASES} aliases (*name)", file,
                              event.start_mark, _open_path(stack, next_child=True))
            if event.anchor not in anchors:
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {event.anchor!r}", mark)
            node = anchors[event.anchor]
        else:
            nodes += 1
            if nodes > MAX_NODES:
                return _limit("yaml.too_many_nodes", f"节点超过 {MAX_NODES} 个的上限",
                              f"more than {MAX_NODES} nodes", file, event.start_mark,
                              _open_path(stack, next_child=True))
            anchor, tag = event.anchor, event.tag
            if anchor is not None and anchor in anchors:
                raise yaml.composer.ComposerError(
                    f"found duplicate anchor {anchor!r}; first occurrence",
                    anchors[anchor].start_mark, "second occurrence", mark)
            if isinstance(event, yaml.ScalarEvent):
                if len(event.value) > MAX_SCALAR_CHARS:
                    return _too_long(file, event.start_mark, _open_path(stack, next_child=True))
                if tag is None or tag == "!":
                    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                end: Any = event.end_mark
                node = yaml.ScalarNode(tag, event.value, mark, end, style=event.style)
            else:
                kind = yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) \
                    else yaml.MappingNode
                if tag is None or tag == "!":
                    tag = loader.resolve(kind, None, event.implicit)
                node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
            if anchor is not None:
                anchors[anchor] = node
        if not stack:
            root = node
        elif isinstance(stack[-1][0], yaml.SequenceNode):
            stack[-1][0].value.append(node)
        elif stack[-1][1] is None:
            stack[-1][1] = node
        else:
            stack[-1][0].value.append((stack[-1][1], node))
            stack[-1][1] = None
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append([node, None])
            if len(stack) > MAX_DEPTH:
                return _limit("yaml.too_deep", f"嵌套超过 {MAX_DEPTH} 层的上限",
                              f"nested deeper than the limit of {MAX_DEPTH} levels", file,
                              event.start_mark, _open_path(stack, next_child=False))
    loader.get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        raise yaml.composer.ComposerError("expected a single document in the stream",
                                          start.start_mark, "but found another document",
                                          loader.get_event().start_mark)
    return root, nodes


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
        self.problems.append(_limit(code, zh, en, self.file, node.start_mark, path))

    def build(self, node: yaml.Node, path: tuple[str | int, ...], depth: int = 1) -> Any:
        import yaml
        if self.limit is not None:
            return None
        self.nodes += 1
        if self.nodes > self.budget or depth > MAX_DEPTH:
            # The tree as written is within the limits, so the aliases are what exceeds them.
            self.limit = _limit(
                "yaml.aliases",
                f"别名展开后多出 {MAX_ALIAS_NODES} 个以上节点或超过 {MAX_DEPTH} 层嵌套"
                "（或别名指向自身）",
                f"aliases expand to more than {MAX_ALIAS_NODES} extra nodes or more than "
                f"{MAX_DEPTH} levels of nesting (or an alias refers to itself)",
                self.file, node.start_mark, path)
            return None
        if not isinstance(node, yaml.ScalarNode) and node.tag not in (_MAP, _SEQ):
            self._tag(node, path)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, (*path, "<key>"), depth + 1)
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
                out[key] = self.build(value_node, (*path, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
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
    try:
        composed = _compose(loader, file)
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
