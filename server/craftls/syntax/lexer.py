"""A lexer generated from a language definition.

Context free by design: a token depends only on the text from its start, so
incremental relexing can start at any token boundary and stop as soon as it
lands on an old boundary again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain
from re import _parser as regex_parser  # type: ignore[attr-defined]
from typing import Final, cast

from ..language.model import (
    Conditionals,
    LanguageDefinition,
    LexicalMode,
    LongBrackets,
    StringRule,
)
from .build import syntax_build
from .conditionals import follows_text, in_text, scoped, with_defines
from .tokens import (
    COMMENT,
    IDENT,
    KEYWORD_PREFIX,
    NEWLINE,
    NUMBER,
    PUNCT,
    STRING,
    UNKNOWN_CHAR,
    UNTERMINATED_COMMENT,
    UNTERMINATED_STRING,
    WHITESPACE,
    WORD_OP,
    Token,
)


@dataclass(frozen=True)
class LexTables:
    """The lexer's compiled tables for one definition (``tables_for``)."""

    pattern: re.Pattern[str]
    # a text this finds in is lexed by the token loop (a long bracket of a level past
    # ``LONG_LEVELS``); None: every text may take ``texts_pattern``
    loop_if: re.Pattern[str] | None
    word_kinds: dict[str, str]  # folded word -> kind (keywords, word operators)
    nested_comments: dict[str, tuple[str, str]]  # group name -> (open, close)
    fold_case: bool
    punctuation: frozenset[str]
    fixed_kinds: dict[str, str]  # regex group -> token kind, for groups that need no lookup
    # the same alternatives without groups, when a token's kind is a function of its text
    # alone (see ``_context_free``); None otherwise
    texts_pattern: re.Pattern[str] | None
    tokens_by_text: _TokensByText
    # ``texts_pattern`` repeated to take several tokens per match (``_run_pattern``),
    # made on the first long text
    runs: list[re.Pattern[str]]


def _prefix(rule: StringRule) -> str:
    """A raw string's ``r`` (either case, as Python's) before the delimiter."""
    return rf"(?i:{re.escape(rule.prefix)})" if rule.prefix else ""


def _string_pattern(rule: StringRule) -> str:
    return _prefix(rule) + _string_body(rule)


def _string_body(rule: StringRule) -> str:
    d = re.escape(rule.delimiter)
    if rule.ends_at is not None:
        # a quoted word: no closing delimiter; it takes every character up to a blank, a
        # line break or one of ``ends_at`` (a character class: no assertion, so still
        # context free); a backslash escapes the next one (Logo's "a\ b)
        stop = "".join(re.escape(ch) for ch in rule.ends_at)
        if rule.escape == "backslash":
            return rf"{d}(?:\\[^\r\n]|[^\s\\{stop}])*"
        return rf"{d}[^\s{stop}]*"
    eol = "" if rule.multiline else r"\r\n" if rule.line_end_closes else r"\n"
    # the closing delimiter may be left out where the line ends (the body cannot cross
    # a line break, so the token still ends there); no assertion, so still context free
    close = f"(?:{d})?" if rule.line_end_closes else d
    if len(rule.delimiter) == 1:
        # a character class instead of a lookahead: the same strings, and no assertion,
        # so the pattern stays context free (see ``_context_free``)
        if rule.escape == "backslash":
            # an escape that skips the whitespace after it (line breaks too) comes first
            skip = rf"\\{re.escape(rule.whitespace_escape)}\s*|" if rule.whitespace_escape else ""
            return rf"{d}(?:{skip}\\[\s\S]|[^\\{d}{eol}])*{close}"
        if rule.escape == "doubled":
            return rf"{d}(?:{d}{d}|[^{d}{eol}])*{close}"
        return rf"{d}[^{d}{eol}]*{close}"
    # a multiline string's character is any character: "[^]" is not a pattern
    char = rf"[^{eol}]" if eol else r"[\s\S]"
    if rule.escape == "backslash":
        body = rf"(?:\\[\s\S]|(?!{d})[^\\{eol}])*"
    elif rule.escape == "doubled":
        body = rf"(?:{d}{d}|(?!{d}){char})*"
    else:
        body = rf"(?:(?!{d}){char})*"
    return rf"{d}{body}{close}"


def _unterminated_string(rule: StringRule) -> str:
    d = _prefix(rule) + re.escape(rule.delimiter)
    return rf"{d}[\s\S]*" if rule.multiline else rf"{d}[^\n]*"


def _long_bracket_parts(rule: LongBrackets) -> list[tuple[str, str, str]]:
    """(group, pattern, kind) for levelled long brackets: the comment form first (it
    must win over the line comment its marker starts), each closed or running to the
    end of the text. The level is matched again by a backreference, so a token's kind
    stays a function of its text (no assertion: ``_context_free`` holds)."""
    o, c, lv = re.escape(rule.open), re.escape(rule.close), re.escape(rule.level)
    parts = []
    forms = [("lbs", "", STRING, UNTERMINATED_STRING)]
    if rule.comment:
        forms.insert(0, ("lbc", re.escape(rule.comment), COMMENT, UNTERMINATED_COMMENT))
    for group, prefix, closed, open_ in forms:
        parts.append((group, rf"{prefix}{o}(?P<{group}_level>{lv}*){o}[\s\S]*?{c}"
                             rf"(?P={group}_level){c}", closed))
        parts.append((group + "u", rf"{prefix}{o}{lv}*{o}[\s\S]*", open_))
    return parts


# the levels of long brackets the text lookup takes (``_long_bracket_levels``); a text
# with a higher one keeps the token loop
LONG_LEVELS: Final = 8


def _long_bracket_levels(rule: LongBrackets) -> tuple[dict[str, list[str]], str]:
    """The closed long brackets (groups ``lbc``, ``lbs``) of levels up to
    ``LONG_LEVELS`` without the backreference, each level closed by its own close (the
    same matches: the level's characters before the second opener leave the engine no
    other choice), for the text lookup, which takes no groups; and the opener of a
    higher level, which a text must not hold for that (its closed form is no
    alternative there, and the unterminated form would take it)."""
    o, c, lv = re.escape(rule.open), re.escape(rule.close), f"(?:{re.escape(rule.level)})"
    # one alternative per form: every level after the common opener, where the engine
    # skips a level by its next character without entering it
    levels = "|".join(rf"{lv * k}{o}[\s\S]*?{c}{lv * k}{c}" for k in range(LONG_LEVELS))
    split = {"lbs": [rf"{o}(?:{levels})"]}
    if rule.comment:
        split["lbc"] = [rf"{re.escape(rule.comment)}{o}(?:{levels})"]
    return split, rf"{o}{lv}{{{LONG_LEVELS},}}{o}"


WORD_COMMENT_ENDING: Final = r"(?![\w])[^\n]*"
KEYWORD_NAME: Final = "kwname"  # the group of ``_keyword_name``: a name token


def _keyword_name(definition: LanguageDefinition) -> str:
    """``lexical.keyword_name_joiner``: a keyword, the marker and a name, as one name
    token (QB64 names routines ``String.concat$``, ``Print.Line``). Lexed so, the
    keyword is no keyword there for the grammar either: a form that took a keyword
    before a '.' for a name would put every keyword among the words a statement or an
    expression can start with, and recovery would resume at each of them. Without an
    assertion, the token's kind stays a function of its text (``_context_free``). The
    keywords as a tree of their shared prefixes: the engine tries the branches at each
    character, not every keyword at each name."""
    lex = definition.lexical
    ident = re.compile(lex.identifier)
    spellings = {s.lower() if not lex.case_sensitive else s
                 for spellings in definition.keywords.values() for s in spellings
                 if ident.fullmatch(s)}
    words = _prefix_tree(sorted(spellings))
    if not lex.case_sensitive:
        words = f"(?i:{words})"
    return f"{words}{re.escape(lex.keyword_name_joiner)}(?:{lex.identifier})"


def _prefix_tree(words: list[str]) -> str:
    """An alternation of ``words`` (sorted) with their shared prefixes factored out:
    ``a(?:nd|s)`` for ``and``, ``as``; each longer word before its own prefix."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[:1], []).append(w[1:])
    out = []
    for head, rests in groups.items():
        if not head:
            continue
        longer = [r for r in rests if r]
        inner = _prefix_tree(longer) if longer else ""
        if not inner:
            out.append(re.escape(head))
        elif "" in rests:
            out.append(f"{re.escape(head)}(?:{inner})?")
        else:
            out.append(f"{re.escape(head)}(?:{inner})")
    return "|".join(out)


def _folded(delimiter: str, fold: bool) -> str:
    """A delimiter with letters is spelled in any case where words are (Pascal's
    {$ELSE ... {$ENDIF}, {$Else ... {$EndIf}, {$i %date%})."""
    escaped = re.escape(delimiter)
    return f"(?i:{escaped})" if fold and any(ch.isalpha() for ch in delimiter) else escaped


def _line_comment(marker: str, fold: bool) -> str:
    if marker[:1].isalpha():  # a word such as REM: only as a whole word
        word = re.escape(marker)
        return (rf"(?i:{word})" if fold else word) + WORD_COMMENT_ENDING
    return re.escape(marker) + r"[^\n]*"


# how deep a block comment's ``inner_open_pattern`` pairs are skipped whole: a regular
# expression has no recursion, so each level is written out (a pattern per level)
INNER_DEPTH: Final = 3


def _skipping_pairs(inner: str, close: str) -> str:
    """A comment body that takes an inner pair, ``inner`` up to its ``close``, whole
    (up to ``INNER_DEPTH`` deep), so only a ``close`` outside the pairs ends it. No
    assertion, so the lexer stays context free; at each place the closer is tried
    first (lazy), then a pair, then one character."""
    level = ""
    for _ in range(INNER_DEPTH):
        body = rf"(?:{level}|[\s\S])" if level else r"[\s\S]"
        level = rf"{inner}{body}*?{close}"
    return rf"(?:{level}|[\s\S])*?"


def _conditional_skips(spec: Conditionals | None, fold: bool) -> list[str]:
    """``lexical.conditionals`` as token patterns: a directive whose condition is known
    false (``{$IFDEF name}`` on an undefined name, ``{$IFNDEF name}`` on a defined one),
    its branch and the directive that ends it (``{$ELSE}``, ``{$ENDIF}``), one comment:
    the text after it is read. Inner conditionals are skipped whole. Only names listed
    take part, so no assertion is needed (the lexer stays context free); a directive on
    any other name, or one whose branch never ends, is the ordinary comment it was."""
    if spec is None:
        return []
    wrap = "(?i:{})" if fold else "(?:{})"
    end = wrap.format(spec.branch_end)
    body = r"[\s\S]*?"
    if spec.inner_open:
        body = _skipping_pairs(wrap.format(spec.inner_open), wrap.format(spec.inner_close))
    out = []
    for forms, names in ((spec.if_defined, spec.undefined), (spec.if_undefined, spec.defined)):
        if not names:
            continue
        alternation = "(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
        for form in forms:
            opener = wrap.format(form.replace("{name}", alternation))
            out.append(f"{opener}{body}{end}")
    return out


# ``[^\S\r\n]`` (whitespace but line breaks) as the characters it holds: a set the regular
# expression engine tests by a table, where the category is a call per character
BLANK: Final = "[\t\x0b\x0c\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


@lru_cache(maxsize=64)
def tables_for(definition: LanguageDefinition) -> LexTables:
    lex = definition.lexical
    fold = not lex.case_sensitive
    # a line continuation marker and its line break are whitespace: the line goes on
    resume = (rf"(?:{BLANK}*{re.escape(lex.continuation_resume)})?"
              if lex.continuation_resume else "")
    comments = [_line_comment(m, fold) for m in sorted(lex.line_comments, key=len, reverse=True)]
    # a line comment may follow the marker (FreeBASIC's `a, _ ' why`, Fortran's `& ! why`):
    # the line still goes on, so the comment is part of the line break
    after = f"(?:{'|'.join(comments)})?" if comments else ""
    continuation = (rf"|{re.escape(lex.line_continuation)}[^\S\r\n]*{after}(?:\r\n|\n|\r){resume}"
                    if lex.line_continuation else "")
    parts: list[str] = [rf"(?P<{NEWLINE}>\r\n|\n|\r)",
                        rf"(?P<{WHITESPACE}>{BLANK}+{continuation})"]
    for i, insert in enumerate(lex.directive_strings):
        o, c = _folded(insert.open, fold), _folded(insert.close, fold)
        parts.append(rf"(?P<ds{i}>{o}[^\n]*?{c})")
    skips = _conditional_skips(lex.conditionals, fold)
    parts.extend(rf"(?P<cs{i}>{skip})" for i, skip in enumerate(skips))
    nested: dict[str, tuple[str, str]] = {}
    for i, block in enumerate(lex.block_comments):
        o, c = _folded(block.open, fold), _folded(block.close, fold)
        if block.close_pattern:
            c = f"(?i:{block.close_pattern})" if fold else f"(?:{block.close_pattern})"
        if block.nested:
            nested[f"nested{i}"] = (block.open, block.close)
            parts.append(rf"(?P<nested{i}>{o})")
        else:
            body = r"[\s\S]*?"
            if block.inner_open_pattern:
                inner = block.inner_open_pattern
                body = _skipping_pairs(f"(?i:{inner})" if fold else f"(?:{inner})", c)
            parts.append(rf"(?P<bc{i}>{o}{body}{c})")
            parts.append(rf"(?P<bcu{i}>{o}[\s\S]*)")
    long_parts = _long_bracket_parts(lex.long_brackets) if lex.long_brackets else []
    parts.extend(rf"(?P<{g}>{pattern})" for g, pattern, _ in long_parts if g.startswith("lbc"))
    if comments:
        parts.append(rf"(?P<{COMMENT}>{'|'.join(comments)})")
    for i, rule in enumerate(sorted(lex.strings,
                                    key=lambda r: -len(r.prefix) - len(r.delimiter))):
        parts.append(rf"(?P<s{i}>{_string_pattern(rule)})")
        if rule.ends_at is None:  # a quoted word is never unterminated
            parts.append(rf"(?P<su{i}>{_unterminated_string(rule)})")
    parts.extend(rf"(?P<{g}>{pattern})" for g, pattern, _ in long_parts if g.startswith("lbs"))
    parts.append(rf"(?P<{NUMBER}>{'|'.join(f'(?:{n})' for n in lex.numbers)})")
    if lex.keyword_name_joiner:
        parts.append(rf"(?P<{KEYWORD_NAME}>{_keyword_name(definition)})")
    parts.append(rf"(?P<{IDENT}>{lex.identifier})")
    punct = definition.punctuation()
    ordered = sorted(punct, key=len, reverse=True)
    # a symbol holding letters (Fortran's .AND.) is written in any case where the
    # language ignores case, as a keyword is
    punct_patterns = [_folded(p, fold) for p in ordered]
    parts.append(rf"(?P<{PUNCT}>{'|'.join(punct_patterns)})")
    parts.append(rf"(?P<{UNKNOWN_CHAR}>[\s\S])")
    words: dict[str, str] = {}
    for op in definition.operators:
        if op.is_word:
            words[op.symbol.lower() if fold else op.symbol] = WORD_OP
    for concept, spellings in definition.keywords.items():
        for s in spellings:
            words[s.lower() if fold else s] = KEYWORD_PREFIX + concept
    fixed = {NEWLINE: NEWLINE, WHITESPACE: WHITESPACE, COMMENT: COMMENT, NUMBER: NUMBER,
             UNKNOWN_CHAR: UNKNOWN_CHAR, KEYWORD_NAME: IDENT}
    for i in range(len(lex.strings)):
        fixed[f"s{i}"] = STRING
        fixed[f"su{i}"] = UNTERMINATED_STRING
    for i in range(len(lex.directive_strings)):
        fixed[f"ds{i}"] = STRING
    fixed.update((f"cs{i}", COMMENT) for i in range(len(skips)))
    for i in range(len(lex.block_comments)):
        fixed[f"bc{i}"] = COMMENT
        fixed[f"bcu{i}"] = UNTERMINATED_COMMENT
    fixed.update((g, kind) for g, _, kind in long_parts)
    pattern = re.compile("|".join(parts))
    texts_pattern = None
    loop_if = None
    if not nested and _context_free(pattern):
        split = {NEWLINE: [r"\r\n", r"\n", r"\r"], COMMENT: comments,
                 PUNCT: punct_patterns, NUMBER: list(lex.numbers),
                 IDENT: _optional_first(lex.identifier)}
        if lex.long_brackets:
            levels, higher = _long_bracket_levels(lex.long_brackets)
            split.update(levels)
            loop_if = re.compile(higher)
        # an empty group matches the empty text: kept as it is
        pieces = _pieces(parts, {group: split for group, split in split.items() if split})
        # the alternatives most tokens take tried first, where no token changes by it
        common = [i for group in (IDENT, WHITESPACE, NEWLINE, PUNCT)
                  for i, (name, _) in enumerate(pieces) if name == group]
        texts_pattern = re.compile("|".join(_common_first([f"(?:{p})" for _, p in pieces],
                                                          common)))
        if texts_pattern.groups:  # a user pattern with its own groups: findall gives tuples
            texts_pattern = loop_if = None
    return LexTables(pattern, loop_if, words, nested, fold, frozenset(punct), fixed, texts_pattern,
                     _TokensByText(pattern, fixed, words, fold), [])


# tokens one match of ``_run_pattern`` takes, and the shortest text lexed with it
RUN_TOKENS: Final = 16
RUN_TEXT: Final = 8192


def _run_pattern(texts_pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``texts_pattern`` as ``RUN_TOKENS`` groups in a row, each after the first also
    matching the empty text (only where no token is left: every token's alternative
    comes before the empty one): one match takes that many tokens, the same as that many
    matches of ``texts_pattern`` (at each token the first alternative that matches is
    taken, as there; no alternative has an assertion, and what follows always matches,
    so none is taken back). CPython's regular expression engine allocates its working
    memory anew for every match of ``findall`` (a ``malloc`` and a ``free`` of over a
    kilobyte, a third of its time per token); this spends it once per run of tokens.
    None when an alternative can match the empty text: an empty token would be lost."""
    if texts_pattern.match("") is not None:
        return None
    one = texts_pattern.pattern
    return re.compile(f"({one})" + f"({one}|)" * (RUN_TOKENS - 1))


# a pattern that opens with one optional character (a literal or an escape): ``&?name``
_OPTIONAL_FIRST: Final = re.compile(r"(\\.|[^\\()\[\]|?*+{}^$.])\?(?![?+])")


def _optional_first(pattern: str) -> list[str]:
    r"""``c?rest`` as the two alternatives ``rest`` and ``c rest`` (``&?[A-Za-z_]\w*``,
    Free Pascal's escaped names): the same matches, one at most at any position, and the
    common one, without ``c``, can then be tried first past an alternative that starts
    with ``c`` (``&[0-7]+``, an octal number), where the whole pattern could not. Any
    other pattern is one alternative, as it is."""
    found = _OPTIONAL_FIRST.match(pattern)
    rest = pattern[found.end():] if found is not None else ""
    if found is None or not rest or "|" in rest:
        return [pattern]
    return [rest, found.group(1) + rest]


def _pieces(parts: list[str], split: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(group, pattern) for each alternative of ``parts`` without its group, those of
    the groups in ``split`` one per alternative of theirs (a punctuation mark, a number
    form): ``(?:a|b)`` among the alternatives matches as ``a`` and ``b`` side by side do,
    and so each can be moved forward on its own (``_common_first``), past the
    alternatives that cannot match where it does; the regular expression engine skips
    an alternative that opens with a character other than the text's without entering
    it, where a group of alternatives it enters."""
    out: list[tuple[str, str]] = []
    for part in parts:
        found = re.match(r"\(\?P<(\w+)>", part)
        assert found is not None
        name = found.group(1)
        if name in split:
            out.extend((name, alternative) for alternative in split[name])
        else:
            out.append((name, part[found.end():-1]))
    return out


def _common_first(alternatives: list[str], common: list[int]) -> list[str]:
    """``alternatives`` with those at ``common`` moved, in that order, as far forward as
    they can go without changing any match: past an alternative only when no text can
    start with a character both can start with (and neither can match the empty text),
    so at any position at most one of the two matches and the first that matches is the
    same. The regular expression engine tries the alternatives in order, each costing a
    test per token: an identifier, the most common token, was tried after ten or twenty
    others (comments, strings, numbers). Where a start cannot be worked out (a lookaround,
    a backreference, a flag other than case), the alternative stays where it is."""
    starts = [_start_chars(a) for a in alternatives]
    order = list(range(len(alternatives)))
    front = 0  # the alternatives moved to the front so far keep their order
    for moved in common:
        at = order.index(moved)
        while at > front and _disjoint(starts[order[at - 1]], starts[moved]):
            order[at - 1], order[at] = order[at], order[at - 1]
            at -= 1
        front += at == front
    return [alternatives[i] for i in order]


# an alternative's first characters: the one-character elements (op, argument, whether
# case is ignored) a match can start with; None: not known, or it can match the empty text
StartChars = list[tuple[object, object, bool]] | None
_CATEGORIES: Final = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D",
                      "CATEGORY_SPACE": r"\s", "CATEGORY_NOT_SPACE": r"\S",
                      "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}
_FINITE_SPAN: Final = 512  # a character set this small is listed, to test each of its characters


def _start_chars(alternative: str) -> StartChars:
    try:
        parsed = regex_parser.parse(alternative)
    except Exception:  # a private module: if its shape changes, leave the order alone
        return None
    found: list[tuple[object, object, bool]] = []
    return found if _starts(parsed, False, found) is False else None


def _starts(data: object, fold: bool, found: list[tuple[object, object, bool]]) -> bool | None:
    """Add to ``found`` the elements that a match of the sequence ``data`` can start with;
    whether the sequence can match the empty text (None: not known)."""
    p = regex_parser
    for op, argument in data:  # type: ignore[attr-defined]
        if op in (p.LITERAL, p.NOT_LITERAL, p.IN, p.ANY):
            found.append((op, argument, fold))
            return False
        if op is p.SUBPATTERN:
            _, add, remove, sub = argument
            if remove or add & ~re.IGNORECASE:
                return None
            empty = _starts(sub, fold or bool(add & re.IGNORECASE), found)
        elif op is p.BRANCH:
            empty = False
            for branch in argument[1]:
                one = _starts(branch, fold, found)
                if one is None:
                    return None
                empty = empty or one
        elif op in (p.MAX_REPEAT, p.MIN_REPEAT, getattr(p, "POSSESSIVE_REPEAT", None)):
            least, _, sub = argument
            one = _starts(sub, fold, found)
            empty = None if one is None else one or least == 0
        elif op is getattr(p, "ATOMIC_GROUP", None):
            empty = _starts(argument, fold, found)
        else:  # an assertion, a backreference, ...
            return None
        if empty is None or not empty:
            return empty
    return True


def _disjoint(a: StartChars, b: StartChars) -> bool:
    """Whether no character can start both: each element of one against each of the
    other, by the characters of one of the two when they can be listed (each tested
    against the other), else by what they are made of (whitespace is no word character,
    ``[^\\W\\d]`` no digit)."""
    if a is None or b is None:
        return False
    for x in a:
        for y in b:
            listed, other = _listed([x]), y
            if listed is None:
                listed, other = _listed([y]), x
            if listed is not None:
                if any(_element_may(*other, c) for c in listed):
                    return False
            elif frozenset((_made_of(x), _made_of(y))) not in _APART:
                return False
    return True


# what a character set is made of, at most (``_made_of``), and which two have no
# character in common
_APART: Final = frozenset({frozenset({"space", "word"}), frozenset({"space", "digit"}),
                          frozenset({"space", "word-digit"}),
                          frozenset({"digit", "word-digit"})})


def _made_of(element: tuple[object, object, bool]) -> str | None:
    r"""``space`` (whitespace only), ``word`` (word characters only), ``digit`` or
    ``word-digit`` (``[^\W\d]``) for a set of categories, else None."""
    p = regex_parser
    op, argument, _ = element
    if op is not p.IN:
        return None
    items = cast("list[tuple[object, object]]", argument)
    negated = bool(items) and items[0][0] is p.NEGATE
    if negated:  # [^\S...] holds whitespace only, [^\W...] word characters only
        cats = {str(value) for item, value in items if item is p.CATEGORY}
        if "CATEGORY_NOT_SPACE" in cats:
            return "space"
        if "CATEGORY_NOT_WORD" in cats:
            return "word-digit" if "CATEGORY_DIGIT" in cats else "word"
        return None
    if any(item is not p.CATEGORY for item, _ in items):
        return None
    cats = {str(value) for _, value in items}
    if cats == {"CATEGORY_DIGIT"}:
        return "digit"
    if cats <= {"CATEGORY_WORD", "CATEGORY_DIGIT"}:
        return "word"
    return "space" if cats == {"CATEGORY_SPACE"} else None


def _listed(elements: list[tuple[object, object, bool]]) -> set[str] | None:
    """The characters of ``elements`` when they are few literals and ranges, else None."""
    p = regex_parser
    chars: set[str] = set()
    for op, argument, fold in elements:
        if fold:
            return None
        if op is p.LITERAL:
            chars.add(chr(cast(int, argument)))
        elif op is p.IN:
            for item, value in cast("list[tuple[object, object]]", argument):
                if item is p.LITERAL:
                    chars.add(chr(cast(int, value)))
                elif item is p.RANGE:
                    low, high = cast("tuple[int, int]", value)
                    if high - low > _FINITE_SPAN:
                        return None
                    chars.update(map(chr, range(low, high + 1)))
                else:
                    return None
        else:
            return None
    return chars


def _element_may(op: object, argument: object, fold: bool, c: str) -> bool:
    p = regex_parser
    if fold and not c.isascii():
        return True  # case folding beyond ASCII (the Kelvin sign is a K)
    variants = {c, c.lower(), c.upper()} if fold else {c}
    if op is p.LITERAL:
        return chr(cast(int, argument)) in variants or (fold and not chr(cast(int, argument)).isascii())
    if op is p.IN:
        items = cast("list[tuple[object, object]]", argument)
        negated = bool(items) and items[0][0] is p.NEGATE
        if negated and fold:
            return True
        hit = False
        for item, value in items[1:] if negated else items:
            if item is p.LITERAL:
                hit = chr(cast(int, value)) in variants
            elif item is p.RANGE:
                low, high = cast("tuple[int, int]", value)
                hit = any(low <= ord(v) <= high for v in variants)
            elif item is p.CATEGORY and str(value) in _CATEGORIES:
                hit = any(re.fullmatch(_CATEGORIES[str(value)], v) is not None for v in variants)
            else:
                return True
            if hit:
                break
        return hit != negated
    return True  # ANY, NOT_LITERAL: nearly every character


def _context_free(pattern: re.Pattern[str]) -> bool:
    """Is a token's kind a function of its text alone?

    It is when the pattern has no assertions (lookarounds, anchors, word boundaries):
    then an alternative that fails at a position fails on any prefix of the text there,
    and the one that matched matches the token's text on its own the same way."""
    try:
        parsed = regex_parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # a private module: if its shape changes, take the safe path
        return False
    assertions = {regex_parser.AT, regex_parser.ASSERT, regex_parser.ASSERT_NOT}
    word_ending = _word_comment_ending()

    def free(node: object) -> bool:
        if isinstance(node, regex_parser.SubPattern):  # a sequence of (opcode, argument)
            data = node.data
            return all((op not in assertions or repr(data[at:at + 2]) == word_ending)
                       and free(argument) for at, (op, argument) in enumerate(data))
        if isinstance(node, (tuple, list)):  # an argument: may hold nested subpatterns
            return all(free(item) for item in node)
        return True

    return free(parsed)


@lru_cache(maxsize=1)
def _word_comment_ending() -> str:
    """The parsed end of a word-marker line comment (``_line_comment``: ``REM`` not
    followed by a word character, then the rest of the line). Its lookahead reads one
    character, which either is in the token (the rest of the line takes it) or is a line
    break or the end of the text, which it refuses as it refuses the end of the token's
    text on its own: the token's kind stays a function of its text."""
    # compared by repr: parsed subpatterns have no equality of their own
    return repr(list(regex_parser.parse(WORD_COMMENT_ENDING).data))


# the bounds of a language's text -> token table (module constants: compiled with mypyc,
# a dict subclass has no class attributes to read through self)
TOKEN_TABLE_SIZE: Final = 50_000
TOKEN_TABLE_LONGEST_TEXT: Final = 64


class _TokensByText(dict[str, object]):
    """Token text -> the token, its kind worked out on demand (a missing key is
    classified by matching the text on its own, which ``_context_free`` makes equal to
    matching it in place).

    Tokens are immutable values, so equal tokens are one shared tuple (interned, like
    the tokens of rowan's node cache): a parse allocates no tuple for the names,
    keywords, operators and whitespace it has seen before, and the garbage collector
    has those fewer objects to visit. Hits are plain dict lookups made from C by
    ``map``; bounded by entry count, and long texts (comments, strings) are classified
    without being kept. Values are typed ``object``: compiled with mypyc, a value typed
    as a tuple is unpacked and packed again into a new tuple where it is returned."""

    def __init__(self, pattern: re.Pattern[str], fixed: dict[str, str], words: dict[str, str],
                 fold: bool) -> None:
        super().__init__()
        self._pattern = pattern
        self._fixed = fixed
        self._words = words
        self._fold = fold

    def __missing__(self, text: str) -> object:
        m = self._pattern.match(text)
        group = (m.lastgroup if m is not None else None) or UNKNOWN_CHAR
        kind = _group_kind(self._fixed, self._words, self._fold, group, text) or UNKNOWN_CHAR
        token: object = (kind, text)
        if len(text) <= TOKEN_TABLE_LONGEST_TEXT:
            if len(self) >= TOKEN_TABLE_SIZE:
                self.clear()
            self[text] = token
        return token


def _scan_nested(text: str, pos: int, open_: str, close: str) -> int:
    """End of a nested block comment starting at ``pos`` (len(text) if unterminated)."""
    depth = 0
    i = pos
    while i < len(text):
        if text.startswith(open_, i):
            depth += 1
            i += len(open_)
        elif text.startswith(close, i):
            depth -= 1
            i += len(close)
            if depth == 0:
                return i
        else:
            i += 1
    return -1


BOM: Final = "\ufeff"


def lex(definition: LanguageDefinition, text: str, start: int = 0,
        stop: int | None = None) -> tuple[list[Token], int]:
    """Tokens from ``start`` until a token ends at or after ``stop``.

    Returns the tokens and the offset where lexing stopped (a token boundary)."""
    if definition.lexical.modes or follows_text(definition.lexical.conditionals):
        definition = lexical_mode(definition, text)
    if start == 0 and text.startswith(BOM):
        # a byte-order mark opening the text (editors on Windows save one) is whitespace,
        # as compilers read it; decided here, as a first line comment is, so that the
        # token patterns stay context free
        if stop is not None and stop <= len(BOM):
            return [(WHITESPACE, BOM)], len(BOM)
        tokens, stopped = lex(definition, text, len(BOM), stop)
        return [(WHITESPACE, BOM), *tokens], stopped
    marker = definition.lexical.first_line_comment
    # the first line starts after a byte-order mark (lua reads "\ufeff#!/usr/bin/lua")
    if marker and text.startswith(marker, start) \
            and (start == 0 or start == len(BOM) and text.startswith(BOM)):
        return _lex_after_first_line(definition, text, start, stop)
    tables = tables_for(definition)
    lookup = tables.texts_pattern is not None and (
        tables.loop_if is None or tables.loop_if.search(text, start) is None)
    if stop is None and not tables.nested_comments:
        # the common case, a whole text: one pass of the C regex engine, then a
        # table lookup per token (about three times faster than matching one by one)
        return _lex_all(tables, text, start, lookup), len(text)
    if lookup:
        return _lex_window(tables, text, start, len(text) if stop is None else stop)
    return _lex_loop(tables, text, start, len(text) if stop is None else stop)


# the last texts ``lexical_mode`` looked at and what it chose: an edit lexes one text
# several times (windows), and a text is searched for its directive once
_MODE_SEEN: Final[list[tuple[str, LanguageDefinition, LanguageDefinition]]] = []


def lexical_mode(definition: LanguageDefinition, text: str) -> LanguageDefinition:
    """The definition ``text`` is lexed with: the first of ``lexical.modes`` whose
    directive matches somewhere in it changes the block comments it names to nest
    (Free Pascal's ``{$mode objfpc}``); where none matches, the mode
    ``lexical.default_mode`` names, else the definition itself; then the names the text
    defines itself known to its conditionals (``syntax.conditionals.in_text``). A
    property of the whole text, so an edit that changes it is parsed again whole
    (``syntax.incremental``)."""
    for seen, given, chosen in _MODE_SEEN:
        if seen is text and given is definition:
            return chosen
    chosen = definition
    index = _text_mode_index(definition, text)
    if index is not None and _changes_lexing(definition, index):
        chosen = _in_mode(definition, index)
    chosen = in_text(chosen, text)
    _MODE_SEEN[:] = [(text, definition, chosen), *_MODE_SEEN[:1]]
    return chosen


def _text_mode_index(definition: LanguageDefinition, text: str) -> int | None:
    """The index of the mode ``text`` is in: the first whose directive matches in it,
    else the one ``lexical.default_mode`` names; None for none."""
    any_directive = _any_mode_directive(definition.lexical.modes,
                                        definition.lexical.case_sensitive)
    index = next((i for i, mode in enumerate(definition.lexical.modes)
                  if re.search(mode.directive, text, any_directive.flags)),
                 None) if any_directive.search(text) else None
    return index if index is not None else mode_index(definition, definition.lexical.default_mode)


def text_mode(definition: LanguageDefinition, text: str) -> LexicalMode | None:
    """The lexical mode ``text`` is read in (``lexical_mode``'s choice), None for none:
    what else the mode says (``overloading``) holds for the whole text."""
    index = _text_mode_index(definition, text) if definition.lexical.modes else None
    return definition.lexical.modes[index] if index is not None else None


@lru_cache(maxsize=16)
def _any_mode_directive(modes: tuple[LexicalMode, ...], case_sensitive: bool) -> re.Pattern[str]:
    """Every mode's directive as one pattern: the usual text has none, and one search
    (the engine scans for their common start) tells it, where one per mode costs each."""
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile("|".join(scoped(m.directive) for m in modes) or "(?!)", flags)



def _changes_lexing(definition: LanguageDefinition, index: int) -> bool:
    """Does mode ``index`` make a block comment nest that does not already, or read
    names by a pattern of its own? A mode that changes nothing (Delphi's) lexes with the
    definition itself and its tables."""
    mode = definition.lexical.modes[index]
    nesting = set(mode.nested_comments)
    return any(b.open in nesting and not b.nested for b in definition.lexical.block_comments) \
        or bool(mode.identifier) and mode.identifier != definition.lexical.identifier


def mode_index(definition: LanguageDefinition, name: str) -> int | None:
    """The index of the lexical mode called ``name`` (in any case), None for ''/none."""
    folded = name.lower()
    for index, mode in enumerate(definition.lexical.modes):
        if folded and mode.name.lower() == folded:
            return index
    return None


def mode_names(definition: LanguageDefinition) -> list[str]:
    """The names a user may choose a default lexical mode by (``with_default_mode``)."""
    return [m.name for m in definition.lexical.modes if m.name]


@lru_cache(maxsize=16)
def with_default_mode(definition: LanguageDefinition, name: str) -> LanguageDefinition:
    """``definition`` lexing a text with no mode directive in mode ``name`` (a user's
    choice, the ``modes`` setting), the same object for the same choice (documents
    parsed with it are not parsed again); ``definition`` itself when it already
    defaults to it. Raises ``KeyError`` for a name no mode has (``mode_names``)."""
    index = mode_index(definition, name)
    if index is None:
        raise KeyError(name)
    lex = definition.lexical
    if mode_index(definition, lex.default_mode) == index:
        return definition
    return replace(definition, lexical=replace(lex, default_mode=lex.modes[index].name),
                   source_path=f"{definition.source_path}#default-mode={name.lower()}")


def mode_for_extension(definition: LanguageDefinition, suffix: str) -> str:
    """The name of the mode whose ``extensions`` hold ``suffix`` ('.lpr'), or ''."""
    folded = suffix.lower()
    return next((m.name for m in definition.lexical.modes
                 if any(e.lower() == folded for e in m.extensions)), "")


def for_file(definition: LanguageDefinition, suffix: str, mode: str = "",
             defines: tuple[str, ...] = ()) -> LanguageDefinition:
    """The definition a file of extension ``suffix`` is read with: in the user's
    ``mode`` (the ``modes`` setting), else the mode its extension names, else the
    definition's default; with the user's build ``defines`` (``conditionals.
    with_defines``). Raises ``KeyError`` for a ``mode`` the definition does not name."""
    chosen = mode or mode_for_extension(definition, suffix)
    if chosen:
        definition = with_default_mode(definition, chosen)
    return with_defines(definition, defines) if defines else definition


@lru_cache(maxsize=16)
def _in_mode(definition: LanguageDefinition, index: int) -> LanguageDefinition:
    """``definition`` with mode ``index``'s comments nesting, its identifier pattern and
    no modes (a distinct source path: the lexer's tables are cached per definition)."""
    lex = definition.lexical
    mode = lex.modes[index]
    nesting = set(mode.nested_comments)
    blocks = tuple(replace(b, nested=True) if b.open in nesting else b
                   for b in lex.block_comments)
    identifier = mode.identifier or lex.identifier
    return replace(definition, lexical=replace(lex, block_comments=blocks, modes=(),
                                               identifier=identifier, default_mode=""),
                   source_path=f"{definition.source_path}#mode{index}")


def _lex_after_first_line(definition: LanguageDefinition, text: str, start: int,
                          stop: int | None) -> tuple[list[Token], int]:
    """A first line opened by ``lexical.first_line_comment`` (Unix ``#!`` lines) is one
    comment token; the rest is lexed as usual. Only a file's first line can be one, so
    it is decided here, where lexing starts at offset 0 (or after an opening byte-order
    mark), and the token patterns stay context free."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    head: Token = (COMMENT, text[start:end])
    if end >= len(text) or (stop is not None and end >= stop):
        return [head], end
    tokens, stopped = lex(definition, text, end, stop)
    return [head, *tokens], stopped


def _lex_all(tables: LexTables, text: str, start: int, lookup: bool) -> list[Token]:
    if lookup and tables.texts_pattern is not None:
        # the token texts from one C call (no match objects), then the tokens from a
        # table keyed by text: about twice the matching loop's speed
        if len(text) - start >= RUN_TEXT:
            if not tables.runs:
                run = _run_pattern(tables.texts_pattern)
                tables.runs.append(run if run is not None else tables.texts_pattern)
            runs = tables.runs[0]
            if not _LOOP_RUNS:
                _LOOP_RUNS.append(syntax_build() == "compiled")
            if runs is not tables.texts_pattern:
                # tuples of token texts; only the last run can end in empty texts (no
                # token left), dropped there: a filter over every text cost 6% of lexing
                found = runs.findall(text, start)
                last = found.pop() if found else ()
                if _LOOP_RUNS[0]:
                    return _tokens_of_runs(tables.tokens_by_text, found, last)
                return cast("list[Token]", list(map(
                    tables.tokens_by_text.__getitem__,
                    chain(chain.from_iterable(found), filter(None, last)))))
        found = tables.texts_pattern.findall(text, start)
        return cast("list[Token]", list(map(tables.tokens_by_text.__getitem__, found)))
    fixed = tables.fixed_kinds
    words = tables.word_kinds
    fold = tables.fold_case
    out: list[Token] = []
    append = out.append
    for m in tables.pattern.finditer(text, start):
        value = m.group()
        append((_group_kind(fixed, words, fold, m.lastgroup or UNKNOWN_CHAR, value)
                or UNKNOWN_CHAR, value))
    return out


# compiled by mypyc, a loop over the runs' texts takes their tokens faster than ``map``
# does (no C call through a bound method, no chained iterators per text: -10 % of the
# compiled lexing's instructions); in pure Python ``map`` is the faster. Set on the first long text (the build is
# asked once, not at import: this module is being imported then)
_LOOP_RUNS: Final[list[bool]] = []


def _tokens_of_runs(tokens: dict[str, object], found: list[tuple[str, ...]],
                    last: tuple[str, ...]) -> list[Token]:
    """The tokens of ``findall``'s runs of texts (only the last run can end in empty
    texts: no token left)."""
    out: list[object] = []
    for run in found:
        for value in run:
            out.append(tokens[value])
    for value in last:
        if value:
            out.append(tokens[value])
    return cast("list[Token]", out)


def _lex_window(tables: LexTables, text: str, pos: int, limit: int
                ) -> tuple[list[Token], int]:
    """``_lex_loop`` for a context-free lexer (``texts_pattern``): the token texts one
    by one up to ``limit``, each token from the table keyed by text. An edit's window
    (a hundred tokens or so) is lexed about three times faster than by the loop, whose
    named groups and kind lookups cost more than the match."""
    out: list[Token] = []
    if pos >= limit:
        return out, pos
    append = out.append
    tokens = tables.tokens_by_text
    for m in tables.texts_pattern.finditer(text, pos):  # type: ignore[union-attr]
        value = m.group()
        append(cast(Token, tokens[value]))
        pos += len(value)
        if pos >= limit:
            break
    return out, pos


def _group_kind(fixed: dict[str, str], words: dict[str, str], fold: bool, group: str,
                value: str) -> str | None:
    """The kind of a token matched by ``group``; None for a nested block comment's
    opener, which the caller scans by hand."""
    kind = fixed.get(group)
    if kind is not None:
        return kind
    if group == IDENT:
        return words.get(value.lower() if fold else value, IDENT)
    if group == PUNCT:
        return words.get(value.lower() if fold else value, PUNCT)
    return None


def _lex_loop(tables: LexTables, text: str, pos: int, limit: int) -> tuple[list[Token], int]:
    match = tables.pattern.match
    fixed = tables.fixed_kinds
    words = tables.word_kinds
    fold = tables.fold_case
    out: list[Token] = []
    append = out.append
    end = len(text)
    while pos < limit:
        m = match(text, pos)
        assert m is not None  # the last alternative matches any character
        group = m.lastgroup or UNKNOWN_CHAR
        value = m.group()
        kind = _group_kind(fixed, words, fold, group, value)
        if kind is None:  # a nested block comment: scanned by hand
            open_, close = tables.nested_comments[group]
            stop_at = _scan_nested(text, pos, open_, close)
            kind = COMMENT if stop_at >= 0 else UNTERMINATED_COMMENT
            value = text[pos:stop_at if stop_at >= 0 else end]
        append((kind, value))
        pos += len(value)
    return out, pos
