from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from craftls.ops.settings import (
    Settings,
    apply_settings,
    camel_to_snake,
    describe_settings,
    snake_to_camel,
)


def test_defaults_match_the_runbook() -> None:
    s = Settings()
    assert (s.ast_cache_size, s.type_inference_cache_ttl, s.registry_cache_ttl) == (50000, 3600, 86400)
    assert (s.registry_batch_size, s.circuit_breaker_threshold) == (100, 10)
    assert (s.rate_limit_window, s.rate_limit_requests) == (60, 5000)
    assert (s.audit_log_retention, s.health_check_interval) == (7, 30)
    assert (s.memory_warning, s.memory_critical) == (0.70, 0.90)
    assert s.circuit_breaker_reset_timeout == 60 and s.type_cache_size == 50000


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().ast_cache_size = 1  # type: ignore[misc]


@pytest.mark.parametrize("raw", [
    {"astCacheSize": 5},
    {"ast_cache_size": 5},
    {"ast-cache-size": 5},
    {"craftls": {"astCacheSize": 5}},
    {"ast": {"cache": {"size": 5}}},
    {"ast.cacheSize": 5},
    {"settings": {"ast_cache_size": 5}},
])
def test_key_spellings_and_nesting(raw: dict[str, Any]) -> None:
    new, problems = apply_settings(Settings(), raw)
    assert problems == []
    assert new.ast_cache_size == 5


def test_nested_groups_join_into_names() -> None:
    raw = {"registry": {"cacheTtl": 10, "batchSize": 5}, "circuitBreaker": {"resetTimeout": 9},
           "alerts": {"lspP95WarningMs": 100}, "inlayHints": {"types": False}}
    new, problems = apply_settings(Settings(), raw)
    assert problems == []
    assert (new.registry_cache_ttl, new.registry_batch_size) == (10, 5)
    assert new.circuit_breaker_reset_timeout == 9
    assert new.lsp_p95_warning_ms == 100.0 and new.inlay_hints_types is False


def test_invalid_value_keeps_old_and_says_why() -> None:
    current = Settings(rate_limit_requests=42)
    new, problems = apply_settings(current, {"rateLimitRequests": -1, "astCacheSize": 7})
    assert new.rate_limit_requests == 42
    assert new.ast_cache_size == 7  # the valid key is still applied
    assert len(problems) == 1
    assert "rateLimitRequests" in problems[0] and "-1" in problems[0]
    assert ">= 1" in problems[0] and "keeping 42" in problems[0]


@pytest.mark.parametrize("key, value, reason", [
    ("astCacheSize", "big", "number"),
    ("astCacheSize", True, "number"),
    ("astCacheSize", 1.5, "whole number"),
    ("inlayHintsTypes", 1, "true or false"),
    ("errorRateWarning", 2, "<= 1"),
    ("memoryBudgetMb", float("nan"), "finite"),
])
def test_type_and_range_errors(key: str, value: object, reason: str) -> None:
    new, problems = apply_settings(Settings(), {key: value})
    assert new == Settings()
    assert len(problems) == 1 and reason in problems[0]


def test_integral_float_accepted_for_int() -> None:
    new, problems = apply_settings(Settings(), {"diagnosticsDebounceMs": 20.0})
    assert problems == [] and new.diagnostics_debounce_ms == 20
    assert isinstance(new.diagnostics_debounce_ms, int)


def test_int_accepted_for_float() -> None:
    new, _ = apply_settings(Settings(), {"memoryWarning": 0})
    assert new.memory_warning == 0.0 and isinstance(new.memory_warning, float)


def test_unknown_key_suggests_closest() -> None:
    new, problems = apply_settings(Settings(), {"circuitBreakerTreshold": 3})
    assert new == Settings()
    assert len(problems) == 1
    assert "unknown setting 'circuitBreakerTreshold'" in problems[0]
    assert "did you mean 'circuitBreakerThreshold'" in problems[0]


def test_unknown_key_without_close_match() -> None:
    _, problems = apply_settings(Settings(), {"zzz": 1})
    assert problems == ["unknown setting 'zzz' ignored"]


def test_the_editor_extensions_own_settings_are_no_unknown_keys() -> None:
    # what the VS Code extension sends with the server's settings (its `craftls` section)
    sent = {"serverCommand": "", "pythonPath": "", "serverArgs": [], "healthPolling": True,
            "trace": {"server": "off"}, "diagnosticsDebounceMs": 80}
    for raw in (sent, {"craftls": sent}):
        new, problems = apply_settings(Settings(), raw)
        assert problems == [] and new.diagnostics_debounce_ms == 80
    _, problems = apply_settings(Settings(), {"serverCommnd": "x", "craftls": {"tracer": 1}})
    assert len(problems) == 2  # a misspelt one is still named


def test_none_values_are_skipped() -> None:
    current = Settings(ast_cache_size=3)
    assert apply_settings(current, {"astCacheSize": None}) == (current, [])
    assert apply_settings(current, None) == (current, [])


def test_warning_above_critical_reverts_the_pair() -> None:
    current = Settings()
    new, problems = apply_settings(current, {"memoryWarning": 0.95})
    assert (new.memory_warning, new.memory_critical) == (0.70, 0.90)
    assert len(problems) == 1 and "memory_warning" in problems[0]
    ok, problems = apply_settings(current, {"memoryWarning": 0.95, "memoryCritical": 0.99})
    assert problems == [] and (ok.memory_warning, ok.memory_critical) == (0.95, 0.99)


def test_describe_lists_every_field_with_camel_name() -> None:
    infos = describe_settings()
    assert [i.name for i in infos] == [f.name for f in dataclasses.fields(Settings)]
    assert all(i.doc for i in infos)
    by_name = {i.name: i for i in infos}
    assert by_name["lsp_p95_warning_ms"].camel_name == "lspP95WarningMs"


@given(st.sampled_from([f.name for f in dataclasses.fields(Settings)]))
def test_camel_snake_round_trip(name: str) -> None:
    assert camel_to_snake(snake_to_camel(name)) == name


def test_globals_is_a_table_of_names_per_language_in_every_spelling() -> None:
    for raw in ({"craftls": {"globals": {"lua": ["love", "vim"]}}},  # the LSP section
                {"globals.lua": ["love", "vim"]},  # a dotted key
                {"settings": {"globals": {"lua": ("love", "vim")}}}):  # craft.toml
        settings, problems = apply_settings(Settings(), raw)
        assert settings.globals == {"lua": ("love", "vim")} and problems == [], raw
    # one value replaces the whole table; a bare string is a list of one name
    settings, _ = apply_settings(settings, {"globals": {"pascal": "Screen"}})
    assert settings.globals == {"pascal": ("Screen",)}
    assert settings.to_dict()["globals"] == {"pascal": ("Screen",)}


def test_globals_values_that_cannot_be_used_are_named() -> None:
    settings, problems = apply_settings(Settings(), {"globals": {
        "lua": ["love", 3, "two words", ""], "basic": {"x": 1}}})
    assert settings.globals == {"lua": ("love",)}
    assert problems == [
        "invalid setting 'globals': 'lua': 3 is not a name; left out",
        "invalid setting 'globals': 'lua': 'two words' is not a name; left out",
        "invalid setting 'globals': 'lua': '' is not a name; left out",
        "invalid setting 'globals': 'basic': expected a list of names, got {'x': 1}; left out"]
    kept, problems = apply_settings(settings, {"globals": ["love"]})
    assert kept.globals == {"lua": ("love",)}
    assert problems == ["invalid setting 'globals' = ['love']: expected a table of language "
                        "id -> list of names; keeping {'lua': ('love',)}"]
