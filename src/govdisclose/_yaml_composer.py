"""A YAML document's node tree composed from the parser's events within the limits of
``_yaml_limits`` (docs/security.md, "Limits"): what PyYAML's ``Composer.get_single_node``
does, without recursion, counting the nodes, the aliases and the depth as it goes.

Imported by ``_yaml.load_yaml_text`` on first parse, with PyYAML.  Each event is dispatched by
its class in one dictionary look-up, and the tag of an untagged node is resolved once per
distinct scalar (or collection kind) of a document: a rulebook repeats its keys hundreds of
times, and PyYAML's resolver matches a list of regular expressions for each plain scalar.  A
no-cache load of every bundled book spent over a third of its instructions here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from ._yaml_limits import MAX_ALIASES, MAX_DEPTH, MAX_NODES, MAX_SCALAR_CHARS, located

if TYPE_CHECKING:
    from .errors import Problem

__all__ = ["compose"]

# What an event does, by its class: a scalar; the start of a list or of a mapping; the end of
# either; an alias.  ``_OTHER`` is any other event inside a document, which the parser never
# gives: composed as the loop before this table did (a mapping node, nothing opened).
_SCALAR, _SEQUENCE, _MAPPING, _END, _ALIAS, _OTHER = range(6)
_KINDS: dict[type, int] = {
    yaml.ScalarEvent: _SCALAR, yaml.SequenceStartEvent: _SEQUENCE,
    yaml.MappingStartEvent: _MAPPING, yaml.SequenceEndEvent: _END, yaml.MappingEndEvent: _END,
    yaml.AliasEvent: _ALIAS}


def _kind_of(event: Any) -> int:
    """What an event of a class not in the table does (a subclass: as isinstance() says)."""
    if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
        return _END
    if isinstance(event, yaml.AliasEvent):
        return _ALIAS
    if isinstance(event, yaml.ScalarEvent):
        return _SCALAR
    if isinstance(event, yaml.SequenceStartEvent):
        return _SEQUENCE
    return _MAPPING if isinstance(event, yaml.MappingStartEvent) else _OTHER


def _too_long(file: str, mark: Any, path: tuple[str | int, ...]) -> Problem:
    return located("yaml.scalar_too_long", f"文本超过 {MAX_SCALAR_CHARS} 个字符的上限",
                  f"a scalar is longer than the limit of {MAX_SCALAR_CHARS} characters",
                  file, mark, path)


def _open_path(stack: list[list[Any]], *, next_child: bool) -> tuple[str | int, ...]:
    """The JSON path of the innermost open collection, or of the node about to join it."""
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


def compose(loader: Any, file: str) -> tuple[yaml.Node | None, int] | Problem:
    """The single document's node tree, composed without recursion and within the limits.
    ``loader`` is a ``CSafeLoader`` or ``SafeLoader``, whose event methods the stubs leave
    untyped.  Returns the root (None for an empty stream) and the number of nodes."""
    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return None, 0
    start = loader.get_event()  # document start
    anchors: dict[str, yaml.Node] = {}
    stack: list[list[Any]] = []  # [open collection, its pending key node or None]
    root: yaml.Node | None = None
    nodes = aliases = 0
    # the tags resolved in this document, by scalar value (or collection kind) and implicit
    # flags; a loader with path resolvers (none by default) resolves by position: not kept
    tags: dict[tuple[Any, Any], str] | None = None if loader.yaml_path_resolvers else {}
    get_event, kinds = loader.get_event, _KINDS
    while root is None or stack:
        event: Any = get_event()
        kind = kinds.get(type(event))
        if kind is None:
            kind = _kind_of(event)
        if kind == _END:
            stack.pop()[0].end_mark = event.end_mark
            continue
        node: yaml.Node
        mark: Any = event.start_mark  # libyaml's Mark or PyYAML's
        if kind == _ALIAS:
            aliases += 1
            if aliases > MAX_ALIASES:
                return located("yaml.aliases", f"别名（*）超过 {MAX_ALIASES} 个的上限",
                              f"more than {MAX_ALIASES} aliases (*name)", file,
                              event.start_mark, _open_path(stack, next_child=True))
            if event.anchor not in anchors:
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {event.anchor!r}", mark)
            node = anchors[event.anchor]
        else:
            nodes += 1
            if nodes > MAX_NODES:
                return located("yaml.too_many_nodes", f"节点超过 {MAX_NODES} 个的上限",
                              f"more than {MAX_NODES} nodes", file, event.start_mark,
                              _open_path(stack, next_child=True))
            anchor, tag = event.anchor, event.tag
            if anchor is not None and anchor in anchors:
                raise yaml.composer.ComposerError(
                    f"found duplicate anchor {anchor!r}; first occurrence",
                    anchors[anchor].start_mark, "second occurrence", mark)
            if kind == _SCALAR:
                value = event.value
                if len(value) > MAX_SCALAR_CHARS:
                    return _too_long(file, event.start_mark, _open_path(stack, next_child=True))
                if tag is None or tag == "!":  # (_resolved's look-up, inline: most nodes)
                    found = tags.get((value, event.implicit)) if tags is not None else None
                    tag = found if found is not None else _resolved(
                        loader, tags, yaml.ScalarNode, value, event.implicit)
                node = yaml.ScalarNode(tag, value, mark, event.end_mark, style=event.style)
            else:
                node_class = yaml.SequenceNode if kind == _SEQUENCE else yaml.MappingNode
                if tag is None or tag == "!":
                    tag = _resolved(loader, tags, node_class, None, event.implicit)
                node = node_class(tag, [], event.start_mark, None, flow_style=event.flow_style)
            if anchor is not None:
                anchors[anchor] = node
        if not stack:
            root = node
        else:
            top = stack[-1]
            if isinstance(top[0], yaml.SequenceNode):
                top[0].value.append(node)
            elif top[1] is None:
                top[1] = node
            else:
                top[0].value.append((top[1], node))
                top[1] = None
        if kind in (_SEQUENCE, _MAPPING):
            stack.append([node, None])
            if len(stack) > MAX_DEPTH:
                return located("yaml.too_deep", f"嵌套超过 {MAX_DEPTH} 层的上限",
                              f"nested deeper than the limit of {MAX_DEPTH} levels", file,
                              event.start_mark, _open_path(stack, next_child=False))
    loader.get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        raise yaml.composer.ComposerError("expected a single document in the stream",
                                          start.start_mark, "but found another document",
                                          loader.get_event().start_mark)
    return root, nodes


def _resolved(loader: Any, tags: dict[tuple[Any, Any], str] | None, node_class: type,
              value: str | None, implicit: Any) -> str:
    """The loader's tag for an untagged node, remembered in ``tags`` (when given) by the
    scalar's value, or the collection's class, and the implicit flags."""
    if tags is None:
        resolved: str = loader.resolve(node_class, value, implicit)
        return resolved
    key = (value if value is not None else node_class, implicit)
    tag = tags.get(key)
    if tag is None:
        tags[key] = tag = loader.resolve(node_class, value, implicit)
    return tag
