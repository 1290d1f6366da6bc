"""Strict YAML: safe loading, duplicate keys rejected, dates kept as text, positions kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from .errors import Problem

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Marks", "YamlDocument", "load_yaml_file", "load_yaml_text"]

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
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if (*path, key) not in out:  # the first of duplicate keys wins, as in the data
                _collect_marks(value_node, (*path, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _collect_marks(item, (*path, i), out)


#: libyaml's parser when PyYAML was built with it (about 10x faster), else pure Python; both
#: only compose nodes here (no object construction beyond plain scalars), so they agree.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: tuple[str | int, ...]) -> Any:
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, (*path, "<key>"))
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
                out[key] = self.build(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == _TIMESTAMP:
            # Dates stay text: govdisclose parses them itself, with its own messages.
            return node.value
        if node.tag == _STR:
            return node.value
        if node.tag in _PLAIN_TAGS:
            return self.loader.construct_object(node, deep=True)
        self.problems.append(
            Problem(
                "yaml.tag",
                f"不支持的 YAML 标签 {node.tag}",
                f"unsupported YAML tag {node.tag}",
                self.file,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                path,
            )
        )
        return node.value


def load_yaml_text(text: str, file: str = "<string>") -> YamlDocument:
    """Parse one YAML document strictly; syntax errors become problems, not exceptions."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
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
    if node is None:
        return YamlDocument(None, None, file)
    builder = _Builder(loader, file)
    data = builder.build(node, ())
    return YamlDocument(data, node, file, tuple(builder.problems))


def load_yaml_file(path: Path, display: str | None = None) -> YamlDocument:
    """Read and parse ``path`` (UTF-8, BOM tolerated)."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return YamlDocument(
            None,
            None,
            name,
            (Problem("file.unreadable", f"无法读取文件：{exc}", f"cannot read file: {exc}", name),),
        )
    return load_yaml_text(text, name)
