"""The package's public surface is pinned, and importing it loads nothing heavy."""

import subprocess
import sys

import assistant

EXPECTED = [
    "Answer",
    "Assistant",
    "AssistantError",
    "Chunk",
    "Citation",
    "ConfigError",
    "Filters",
    "Hit",
    "LLMBackend",
    "LLMError",
    "ParseError",
    "QuestionError",
    "Record",
    "RetrievalParams",
    "Retriever",
    "SentenceVerdict",
    "Settings",
    "StoreError",
    "StoreUnavailable",
    "parse_question",
]


def test_all__is_pinned():
    assert sorted(assistant.__all__) == sorted(EXPECTED)


def test_all__every_name_resolves_to_the_public_object():
    for name in assistant.__all__:
        value = getattr(assistant, name)
        assert getattr(value, "__name__", name) == name


def test_import__loads_no_model_chroma_torch_or_llama_index():
    code = (
        "import sys, assistant; import assistant.cli; "
        "print(','.join(m for m in ('torch', 'chromadb', 'sentence_transformers', 'llama_index', "
        "'gradio') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
