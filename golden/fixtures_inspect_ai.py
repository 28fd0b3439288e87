"""Real inspect_ai evaluation logs for the inspect_ai reader (src/load/inspect_ai.rs).

Runs inspect_ai's own `eval()` offline with its `mockllm` provider, whose
answers come from a function given here (`custom_outputs`): a model of skill
p answers a question correctly with probability p, drawn from Python's
`random` seeded by the model, the generate seed, the question and the epoch,
so each seed and epoch answers differently. Usage is filled in so that the
provider does not fetch a tokenizer from the network. What inspect_ai wrote
is kept byte for byte under tests/fixtures/inspect_ai/.

Pinned: inspect-ai==0.3.285 (pip install --target /tmp/pyenv-lead
inspect-ai==0.3.285), Python 3.11; the versions are recorded in
tests/fixtures/inspect_ai/versions.json.

    PYTHONPATH=/tmp/pyenv-lead python3 golden/fixtures_inspect_ai.py

Task `xr_qa`: 12 yes/no questions (`id` q01..q12), three per passage
(`metadata.passage` p1..p4, for --cluster-col), two epochs (inspect's default
`mean` reducer), two scorers: `match()` (values "C"/"I") and `graded`, a
scorer of this script whose value is a dict {"correct": 0/1, "length": the
answer's length}.

Layout written:
  logs/      mockllm/small and mockllm/large, generate seeds 1, 2, 3, in
             inspect's default `.eval` format (a zip)
  logs_json/ mockllm/large, seed 1, again, as a JSON log (`log_format="json"`;
             JSON logs are ~6x larger, so only one is kept)
  flaky/     mockllm/flaky, seed 1, whose model raises on q07: with
             fail_on_error=False the log succeeds and q07 carries an error and
             no score (JSON); and a second evaluation (seed 2, `.eval`) that
             fails outright (status "error")
  unseeded/  mockllm/large with no generate seed (`.eval`)

expected.json holds what inspect_ai's own reader (`read_eval_log`) gives for
each log: status, model, task, seed, per scorer the reduced per-sample values
by sample id, and the headline metrics.
"""

import json
import random
import shutil
import sys
from pathlib import Path

import inspect_ai
from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.log import list_eval_logs, read_eval_log
from inspect_ai.model import GenerateConfig, ModelOutput, ModelUsage, get_model
from inspect_ai.scorer import Score, Target, accuracy, match, mean, scorer, stderr
from inspect_ai.solver import TaskState, generate

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "inspect_ai"


def answerer(name, skill, fail_on=None):
    """The model's answers: correct with probability `skill`, per question,
    seed and call (the epoch)."""
    calls = {}

    def outputs(input, tools, tool_choice, config):
        question = input[-1].text
        if fail_on is not None and f"question {fail_on}:" in question:
            raise RuntimeError(f"{name} cannot answer {fail_on}")
        calls[question] = calls.get(question, 0) + 1
        draw = random.Random(f"{name}-{config.seed}-{question}-{calls[question]}")
        number = int(question.split("question q")[1][:2])
        target = "yes" if number % 3 else "no"
        other = "no" if target == "yes" else "yes"
        answer = target if draw.random() < skill else other
        out = ModelOutput.from_content(model="mockllm", content=answer)
        out.usage = ModelUsage(input_tokens=len(question), output_tokens=1, total_tokens=len(question) + 1)
        return out

    return outputs


@scorer(metrics={"correct": [accuracy(), stderr()], "length": [mean()]})
def graded():
    async def score(state: TaskState, target: Target) -> Score:
        answer = state.output.completion
        return Score(value={"correct": int(answer == target.text), "length": len(answer)}, answer=answer)

    return score


def xr_qa():
    samples = []
    for i in range(1, 13):
        question = f"Passage {(i - 1) // 3 + 1}, question q{i:02d}: is {i} not a multiple of 3?"
        target = "yes" if i % 3 else "no"
        samples.append(Sample(input=question, target=target, id=f"q{i:02d}", metadata={"passage": f"p{(i - 1) // 3 + 1}"}))
    return Task(name="xr_qa", dataset=samples, solver=generate(), scorer=[match(), graded()], epochs=2)


def run(model_name, skill, seed, log_dir, log_format, fail_on=None, fail_on_error=True):
    model = get_model(
        f"mockllm/{model_name}",
        custom_outputs=answerer(model_name, skill, fail_on),
        config=GenerateConfig(seed=seed),
    )
    return eval(
        xr_qa(),
        model=model,
        log_dir=str(log_dir),
        log_format=log_format,
        fail_on_error=fail_on_error,
        display="none",
        log_model_api=False,
    )[0]


def expected(path):
    log = read_eval_log(str(path))
    entry = {
        "file": str(path.relative_to(OUT)),
        "status": log.status,
        "model": log.eval.model,
        "task": log.eval.task,
        "seed": log.eval.model_generate_config.seed,
    }
    if log.status == "success":
        entry["reductions"] = {
            r.scorer: {s.sample_id: s.value for s in r.samples} for r in (log.reductions or [])
        }
        entry["metrics"] = {
            s.name: {m: v.value for m, v in s.metrics.items()} for s in log.results.scores
        }
        entry["errors"] = sorted(str(s.id) for s in (log.samples or []) if s.error is not None)
    return entry


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    for seed in (1, 2, 3):
        for name, skill in (("small", 0.6), ("large", 0.8)):
            run(name, skill, seed, OUT / "logs", "eval")
    run("large", 0.8, 1, OUT / "logs_json", "json")
    run("flaky", 0.7, 1, OUT / "flaky", "json", fail_on="q07", fail_on_error=False)
    run("flaky", 0.7, 2, OUT / "flaky", "eval", fail_on="q07", fail_on_error=True)
    run("large", 0.8, None, OUT / "unseeded", "eval")
    logs = sorted(p for p in OUT.rglob("*") if p.suffix in (".eval", ".json"))
    (OUT / "expected.json").write_text(json.dumps([expected(p) for p in logs], indent=1, sort_keys=True) + "\n")
    (OUT / "versions.json").write_text(
        json.dumps({"python": sys.version.split()[0], "inspect_ai": inspect_ai.__version__}, indent=1) + "\n"
    )


if __name__ == "__main__":
    main()
