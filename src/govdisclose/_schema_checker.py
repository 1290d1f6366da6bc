"""A bundled JSON Schema compiled to the source of a Python checker: the fast yes of _schema.py.

:func:`checker` writes, from the schema's own keywords, one Python function that returns False
as soon as a value fails a keyword and True at its end, and runs it through ``exec`` once per
process.  Each keyword becomes a statement over the value; a dict's properties are checked in
one loop over its items, the keys sharing a check (the dates of a request) found by one set
look-up; a ``$ref`` (local, possibly recursive) and each branch of ``anyOf``/``oneOf`` become
functions of their own.  The schema stays the contract: nothing here names a property.

Why source and not closures: a valid request's check was about forty thousand instructions as
nested closures, most of them calls; written out as statements it is a fraction of that
(benchmarks/bench_instructions.py).

The checker restates jsonschema's answer exactly for the keywords it knows (tests compare the
two on mutated documents); it says no where it does not restate a form (``uniqueItems`` of
non-strings), and a schema using a keyword it does not know (``format``, a ``$ref`` to another
file, a nested ``$id``) gets no checker (``Unsupported``): jsonschema decides those.  Only our
bundled schemas are compiled; every string taken from one enters the source as ``repr()`` or
as a constant of the function's namespace, never as code.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    Check = Callable[[Any], bool]

__all__ = ["ANNOTATIONS", "CLASSES", "MAX_INTEGER", "TYPES", "Unsupported", "checker"]

#: The YAML loader's bounds on numbers (``_yaml.MAX_INTEGER``, finite floats), applied to plain
#: data too: a dict never went through the loader.  Restated, not imported, because importing
#: ``_yaml`` loads PyYAML; tests/test_dict_parsing.py holds the two equal.
MAX_INTEGER = 2**53 - 1


# The JSON types as both validators see them.  A tuple is an array (a dict built in Python
# may hold one; ``json.dumps`` wrote it as one); a number must be finite and an integer at
# most ``MAX_INTEGER`` in magnitude, as the YAML loader requires of a file.
def _is_integer(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and -MAX_INTEGER <= x <= MAX_INTEGER


def _is_number(x: Any) -> bool:
    if isinstance(x, float):
        return math.isfinite(x)
    return _is_integer(x)


def _is_array(x: Any) -> bool:
    return isinstance(x, (list, tuple))


def _unique_strings(x: Any) -> bool:
    """``uniqueItems`` restated for strings alone (other elements need jsonschema's equality:
    False, and jsonschema decides)."""
    return all(isinstance(i, str) for i in x) and len(set(x)) == len(x)


#: How many strings a pattern remembers as matching: a bound, whatever the input.
SEEN_BOUND = 4096


class _Matches:
    """A ``pattern``'s search, remembering (up to ``SEEN_BOUND``) the strings that matched."""

    __slots__ = ("search", "seen")

    def __init__(self, search: Callable[[str], object], seen: set[str]) -> None:
        self.search = search
        self.seen = seen

    def __call__(self, text: str) -> bool:
        if self.search(text) is None:
            return False
        if len(self.seen) < SEEN_BOUND:
            self.seen.add(text)
        return True


TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict), "array": _is_array,
    "string": lambda x: isinstance(x, str), "integer": _is_integer, "number": _is_number,
    "boolean": lambda x: isinstance(x, bool), "null": lambda x: x is None}
#: The types whose check above is an isinstance() alone: written as one isinstance() call,
#: under which the keywords such a type guards need no guard of their own.
CLASSES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list, tuple), "string": (str,), "boolean": (bool,)}

#: Keywords that only annotate (or hold definitions): no statement.
ANNOTATIONS = frozenset({"$id", "$schema", "$comment", "$defs", "title", "description",
                          "examples", "default", "deprecated", "readOnly", "writeOnly"})
_OBJECT_KEYWORDS = frozenset({"properties", "additionalProperties", "required"})
_SIZES = {"minLength": "string", "maxLength": "string", "minItems": "array",
          "maxItems": "array", "minProperties": "object", "maxProperties": "object"}
_BOUNDS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
_BUILTIN_CLASSES = frozenset({dict, str, bool, list, tuple})
#: Loops nested deeper than this call a function instead (CPython allows 20 nested blocks).
_MAX_NESTING = 6

#: Raised for a keyword (or form) not restated: the schema is then jsonschema's alone.  A
#: builtin: the package's own exceptions are errors.py's.
Unsupported = NotImplementedError


def _indent(lines: list[str], levels: int = 1) -> list[str]:
    pad = "    " * levels
    return [pad + line for line in lines]


class _Writer:
    """Writes the functions checking one schema document."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        #: the namespace the source runs in: constants and helpers by name
        self.names: dict[str, Any] = {"_is_number": _is_number, "_unique": _unique_strings}
        self._constants: dict[tuple[type, Any], str] = {}
        self.functions: list[str] = []
        self._refs: dict[str, str] = {}
        self._patterns: dict[str, tuple[str, str]] = {}
        self._count = 0

    def fresh(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def constant(self, value: Any) -> str:
        """The name of ``value`` in the namespace (one name per distinct value); a builtin
        class alone by its own name."""
        if type(value) is tuple and len(value) == 1 and value[0] in _BUILTIN_CLASSES:
            return str(value[0].__name__)
        key = (type(value), value)
        name = self._constants.get(key)
        if name is None:
            self._constants[key] = name = self.fresh("_k")
            self.names[name] = value
        return name

    def pattern(self, pattern: str) -> tuple[str, str]:
        """The names of the strings seen to match ``pattern`` and of its :class:`_Matches`
        (one pair per pattern, so properties of one pattern share one check)."""
        names = self._patterns.get(pattern)
        if names is None:
            seen: set[str] = set()
            self._patterns[pattern] = names = (self.fresh("_seen"), self.fresh("_match"))
            self.names.update({names[0]: seen,
                               names[1]: _Matches(re.compile(pattern).search, seen)})
        return names

    def function(self, schema: Any) -> str:
        """The name of a new function checking ``schema``."""
        name = self.fresh("_f")
        self.define(name, self.lines(schema, "x", 0))
        return name

    def define(self, name: str, body: list[str]) -> None:
        """Write the function ``name`` of ``x``: ``body``'s statements, then True."""
        self.functions.append("\n".join([f"def {name}(x):", *_indent([*body, "return True"])]))

    def ref(self, pointer: str) -> str:
        """The function of a local ``$ref``, written once (a recursive one calls itself)."""
        if not pointer.startswith("#/"):
            raise Unsupported  # another document: jsonschema resolves it
        name = self._refs.get(pointer)
        if name is None:
            target: Any = self.root
            try:
                for part in pointer[2:].split("/"):
                    target = target[part.replace("~1", "/").replace("~0", "~")]
            except (KeyError, TypeError):  # percent-escapes, indexes: jsonschema resolves
                raise Unsupported from None
            self._refs[pointer] = name = self.fresh("_r")
            self.define(name, self.lines(target, "x", 0))
        return name

    def lines(self, schema: Any, v: str, depth: int) -> list[str]:
        """Statements returning False when the value named ``v`` fails ``schema``."""
        if isinstance(schema, bool):
            return [] if schema else ["return False"]
        if not isinstance(schema, dict) or ("$id" in schema and schema is not self.root):
            raise Unsupported  # (a nested $id moves the base of its $refs)
        # a type of one class is checked first, and the keywords it guards go unguarded
        kind = schema.get("type")
        classes = CLASSES.get(kind, ()) if isinstance(kind, str) else ()
        out = [f"if not isinstance({v}, {self.constant(classes)}): return False"] if classes \
            else []
        if "type" in schema and not classes:
            out += self.keyword("type", schema["type"], v, (), depth)
        if _OBJECT_KEYWORDS & schema.keys():
            out += self.properties(schema, v, classes == (dict,), depth)
        for key, value in schema.items():
            if key not in ANNOTATIONS and key not in _OBJECT_KEYWORDS and key != "type":
                out += self.keyword(key, value, v, classes, depth)
        return out

    def nested(self, schema: Any, v: str, depth: int) -> list[str]:
        """``schema``'s statements inside a loop: inline, or a call when nested deep."""
        if depth < _MAX_NESTING:
            return self.lines(schema, v, depth + 1)
        body = self.lines(schema, "x", 0)  # (written once, as the body of its function)
        if not body:
            return []
        name = self.fresh("_f")
        self.define(name, body)
        return [f"if not {name}({v}): return False"]

    def properties(self, schema: dict[str, Any], v: str, typed: bool, depth: int) -> list[str]:
        """``required``, ``properties`` and ``additionalProperties``: one loop over the items,
        each key's check chosen by key (``typed``: ``v`` is known to be a dict)."""
        if "patternProperties" in schema:
            raise Unsupported
        needed = list(schema.get("required", ()))
        if not all(isinstance(k, str) for k in needed):
            raise Unsupported
        body = ([f"if {k!r} not in {v}: return False" for k in needed] if len(needed) <= 4
                else [f"if not {v}.keys() >= {self.constant(frozenset(needed))}: return False"])
        key, value = self.fresh("k"), self.fresh("v")
        # the keys that share a check are tested together, in the schema's order
        groups: dict[str, list[str]] = {}
        for name, sub in schema.get("properties", {}).items():
            groups.setdefault("\n".join(self.nested(sub, value, depth)), []).append(name)
        extra = self.nested(schema.get("additionalProperties", True), value, depth)
        branches: list[str] = []
        for code, names in groups.items():
            test = (f"{key} == {names[0]!r}" if len(names) == 1
                    else f"{key} in {self.constant(frozenset(names))}")
            branches += [f"{'elif' if branches else 'if'} {test}:",
                         *_indent(code.split("\n") if code else ["pass"])]
        if extra:
            branches += ["else:", *_indent(extra)] if branches else extra
        elif not any(groups):  # no key has a check: no loop
            branches = []
        if branches:
            body += [f"for {key}, {value} in {v}.items():", *_indent(branches)]
        if typed or not body:
            return body
        return [f"if isinstance({v}, dict):", *_indent(body)]

    def keyword(self, key: str, value: Any, v: str, typed: tuple[type, ...],
                depth: int) -> list[str]:
        """The statements of one keyword other than the object ones (unguarded where
        ``typed`` holds)."""
        if key == "type":
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not all(n in TYPES for n in names):
                raise Unsupported
            classes = tuple(c for n in names for c in CLASSES.get(n, ()))
            tests = [f"isinstance({v}, {self.constant(classes)})"] if classes else []
            tests += [f"{self.constant(TYPES[n])}({v})" for n in names if n not in CLASSES]
            return [f"if not ({' or '.join(tests)}): return False"]
        if key == "$ref":
            return [f"if not {self.ref(value)}({v}): return False"]
        if key in ("enum", "const"):
            options = value if key == "enum" else [value]
            if all(isinstance(o, str) for o in options):
                allowed = self.constant(frozenset(options))
                if typed == (str,):
                    return [f"if {v} not in {allowed}: return False"]
                return [f"if not (isinstance({v}, str) and {v} in {allowed}): return False"]
            return [f"if not ({' or '.join(self.equal(o, v) for o in options)}): return False"]
        if key == "pattern":
            # strings seen to match are remembered (a date pattern sees the same few hundred
            # days again and again; a search costs several times a set look-up)
            seen, matches = self.pattern(value)
            test = f"{v} not in {seen} and not {matches}({v})"
            if typed == (str,):
                return [f"if {test}: return False"]
            return [f"if isinstance({v}, str) and {test}: return False"]
        if key in _SIZES:
            classes = CLASSES[_SIZES[key]]
            limit = self.constant(value)
            fails = f"len({v}) {'<' if key.startswith('min') else '>'} {limit}"
            if typed == classes:
                return [f"if {fails}: return False"]
            return [f"if isinstance({v}, {self.constant(classes)}) and {fails}: return False"]
        if key in _BOUNDS:
            return [f"if _is_number({v}) and not {v} {_BOUNDS[key]} {self.constant(value)}: "
                    "return False"]
        if key == "items":
            return self.each(value, v, depth, CLASSES["array"], typed)
        if key == "propertyNames":  # (a dict's iteration gives its keys)
            return self.each(value, v, depth, CLASSES["object"], typed)
        if key == "uniqueItems":
            if value is not True:
                return []
            return [f"if isinstance({v}, {self.constant(CLASSES['array'])}) and not _unique({v}):"
                    " return False"]
        if key in ("anyOf", "oneOf", "allOf"):
            if key == "allOf":
                return [line for sub in value for line in self.lines(sub, v, depth)]
            calls = [self.branch(sub, v) for sub in value]
            if key == "anyOf":
                return [f"if not ({' or '.join(calls)}): return False"]
            return [f"if ({' + '.join(calls)}) != 1: return False"]
        raise Unsupported

    def each(self, schema: Any, v: str, depth: int, classes: tuple[type, ...],
             typed: tuple[type, ...]) -> list[str]:
        """A loop checking each element of ``v`` against ``schema``, when ``v`` is of
        ``classes`` (unguarded where ``typed`` says it is)."""
        element = self.fresh("e")
        body = self.nested(schema, element, depth)
        if not body:
            return []
        loop = [f"for {element} in {v}:", *_indent(body)]
        if typed == classes:
            return loop
        return [f"if isinstance({v}, {self.constant(classes)}):", *_indent(loop)]

    def branch(self, schema: Any, v: str) -> str:
        """An expression, true when ``v`` passes ``schema``: inline for ``required`` alone,
        else a call of its own function."""
        if isinstance(schema, dict) and schema.keys() == {"required"} \
                and all(isinstance(k, str) for k in schema["required"]):
            present = " and ".join(f"{k!r} in {v}" for k in schema["required"]) or "True"
            return f"(not isinstance({v}, dict) or ({present}))"
        return f"{self.function(schema)}({v})"

    def equal(self, option: Any, v: str) -> str:
        """jsonschema's equality with one ``enum``/``const`` option, as an expression: a boolean
        equals only itself, a number any equal number (not a boolean); lists and mappings are
        not restated."""
        if isinstance(option, str):
            return f"(isinstance({v}, str) and {v} == {option!r})"
        if option is None or isinstance(option, bool):
            return f"{v} is {option!r}"
        if isinstance(option, (int, float)):
            return (f"(isinstance({v}, (int, float)) and not isinstance({v}, bool) "
                    f"and {v} == {self.constant(option)})")
        raise Unsupported


def checker(schema: dict[str, Any], name: str) -> Check:
    """The checker of ``schema`` (a whole document; ``name`` labels its source in tracebacks).

    Raises:
        NotImplementedError (``Unsupported``): the schema uses a keyword not restated here.
    """
    writer = _Writer(schema)
    top = writer.function(schema)
    namespace = dict(writer.names)
    # the source was written above from a bundled schema: names and values taken from it are
    # repr()s or constants of the namespace
    exec(compile("\n\n".join(writer.functions), f"<schema {name}>", "exec"), namespace)
    check: Check = namespace[top]
    return check
