"""A definition's default lexical mode (``lexical.default_mode``) and a user's choice of
it (``with_default_mode``, the ``modes`` setting): Free Pascal reads a file with no
``{$mode}`` directive in its own default mode, in which ``{ }`` comments nest, Delphi
and Turbo Pascal never nest them; which compiler a workspace is for is the user's
choice, and a directive in the file still wins."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.ops.settings import Settings, apply_settings
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.lexer import lex, lexical_mode, mode_names, with_default_mode
from craftls.syntax.parse import parse

TP = bundled("turbopascal")

# no {$mode}: a routine kept for later inside one comment, with a comment of its own
NO_DIRECTIVE = """program Later;
var
  Count: Integer;
{ not yet:
procedure Reset;
begin
  Count := 0; { back to nothing }
end;
}
begin
  Count := 3;
  WriteLn(Count);
end.
"""

MODAL = """name: Modal
id: modal
lexical:
  block_comments:
    - {open: '<<', close: '>>'}
  modes:
    - {name: deep, directive: '#deep', nested_comments: ['<<']}
    - {name: flat, directive: '#flat'}
  default_mode: DEEP
"""


def _errors(definition: object, text: str) -> list[str]:
    return [e.message for e in parse(definition, text).errors]  # type: ignore[arg-type]


def test_the_bundled_pascal_names_its_modes_and_its_default() -> None:
    assert mode_names(TP) == ["objfpc", "fpc", "delphi", "tp", "macpas", "iso"]
    assert TP.lexical.default_mode == "delphi"
    # Delphi's reading: the comment ends at the first `}`, the rest is code in error
    assert _errors(TP, NO_DIRECTIVE) != []


def test_a_user_chosen_default_mode_makes_the_comments_nest() -> None:
    fpc = with_default_mode(TP, "fpc")
    assert _errors(fpc, NO_DIRECTIVE) == []
    comments = [v for k, v in lex(fpc, NO_DIRECTIVE)[0] if k == "comment"]
    assert comments[0].startswith("{ not yet:") and comments[0].endswith("end;\n}")
    # a mode name in any case; the same object for the same choice (a document parsed
    # with it is not parsed again), the definition itself for its own default
    assert with_default_mode(TP, "FPC") == fpc
    assert with_default_mode(TP, "fpc") is fpc
    assert with_default_mode(TP, "delphi") is TP
    with pytest.raises(KeyError):
        with_default_mode(TP, "objfcp")


def test_a_directive_in_the_file_wins_over_the_default() -> None:
    """`{$mode delphi}` in a file read with a nesting default: Delphi's reading."""
    fpc = with_default_mode(TP, "objfpc")
    text = NO_DIRECTIVE.replace("var\n", "{$mode delphi}\nvar\n", 1)
    assert _errors(fpc, text) == _errors(TP, text) != []
    assert not any(b.nested for b in lexical_mode(fpc, text).lexical.block_comments)
    nesting = NO_DIRECTIVE.replace("var\n", "{$mode objfpc}\nvar\n", 1)
    assert _errors(TP, nesting) == []


def test_an_edit_in_a_file_read_in_the_chosen_mode_stays_in_it() -> None:
    fpc = with_default_mode(TP, "fpc")
    old = parse(fpc, NO_DIRECTIVE)
    at = NO_DIRECTIVE.index("Count := 3") + len("Count := ")
    new, _ = apply_edit(old, TextEdit(at, at + 1, "4"))
    assert new.errors == [] and new.green == parse(fpc, new.text).green
    # typing a directive that changes the mode reads the whole file again
    top = NO_DIRECTIVE.index("var")
    moded, _ = apply_edit(new, TextEdit(top, top, "{$mode tp}\n"))
    assert moded.green == parse(fpc, moded.text).green and moded.errors != []


def test_default_mode_is_data_any_definition_may_use() -> None:
    definition, problems = load_definition_text(MODAL)
    assert definition is not None and problems == []
    text = "a << b << c >> d >> e"
    words = [v for k, v in lex(definition, text)[0] if k in ("ident", "comment")]
    assert words == ["a", "<< b << c >> d >>", "e"]  # the default, `deep`, nests
    flat = [v for k, v in lex(definition, "#flat\n" + text)[0] if k in ("ident", "comment")]
    assert flat == ["#flat", "a", "<< b << c >>", "d", "e"]
    chosen = with_default_mode(definition, "flat")
    assert [v for k, v in lex(chosen, text)[0] if k in ("ident", "comment")] == \
        ["a", "<< b << c >>", "d", "e"]


def test_a_default_naming_no_mode_or_two_modes_of_one_name_are_errors() -> None:
    wrong = MODAL.replace("default_mode: DEEP", "default_mode: shallow")
    definition, problems = load_definition_text(wrong)
    assert definition is None
    assert [p.message for p in problems] == [
        "no mode is named 'shallow' (named: deep, flat)"]
    twice = MODAL.replace("name: flat", "name: Deep")
    definition, problems = load_definition_text(twice)
    assert definition is None
    assert "two modes are named 'Deep'" in [p.message for p in problems]


def test_the_modes_setting_is_a_table_of_one_name_per_language() -> None:
    settings, problems = apply_settings(Settings(), {"craftls": {"modes": {
        "turbopascal": "fpc", "lua": ["a", "b"], "basic": "two words"}}})
    assert settings.modes == {"turbopascal": "fpc"}
    assert sorted(problems) == [
        "invalid setting 'craftls.modes': 'basic': 'two words' is not a name; left out",
        "invalid setting 'craftls.modes': 'lua': ['a', 'b'] is not a name; left out"]
    dotted, problems = apply_settings(settings, {"modes.turbopascal": "delphi"})
    assert dotted.modes == {"turbopascal": "delphi"} and problems == []
    kept, problems = apply_settings(dotted, {"modes": "fpc"})
    assert kept.modes == {"turbopascal": "delphi"} and len(problems) == 1


def test_check_takes_a_mode_and_warns_of_one_no_definition_has(tmp_path: Path) -> None:
    source = tmp_path / "later.pas"
    source.write_text(NO_DIRECTIVE)
    root = Path(__file__).resolve().parents[2]

    def check(*flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "craftls", "check", str(source), *flags],
                              capture_output=True, text=True, cwd=tmp_path,
                              env={"PYTHONPATH": str(root / "server")})

    assert check().returncode == 1
    assert check("--mode", "fpc").returncode == 0
    typo = check("--mode", "objfcp")
    assert typo.returncode == 1
    assert "turbopascal has no mode 'objfcp' (modes: objfpc, fpc, delphi, tp, macpas, iso)" \
        in typo.stderr
