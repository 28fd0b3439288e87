"""Hugging Face Trainer output folders written by the real Trainer, for xreport's reader tests.

Pinned: transformers 5.24.0, torch 2.15.0, accelerate 1.15.0, numpy 2.4.6
(safetensors 0.8.0, tokenizers 0.23.3, huggingface-hub 2.4.0), CPU only.

A tiny BERT built from a config (no hub download) is trained with `Trainer` on
32 random token sequences (label: is token 0 of the sequence below 25) for 2
epochs (batch 8, so 4 steps an epoch), `eval_strategy="epoch"` on 16 more,
`logging_steps=1`, `save_strategy="no"`, `report_to=[]`, `full_determinism=True`,
`compute_metrics` giving accuracy. The data are fixed (generator seed 0); the
training seed is `TrainingArguments.seed`. After training, the steps of the
official examples/pytorch/text-classification/run_glue.py: `train_samples`
added, `save_model()`, `log_metrics`/`save_metrics("train")`, `save_state()`,
then `evaluate()`, `eval_samples` added, `log_metrics`/`save_metrics("eval")`
(each `save_metrics` also merges into `all_results.json`), `create_model_card()`.

Conditions x seeds 1, 2, 3:
  baseline   learning_rate=5e-5
  warmup     learning_rate=5e-5, warmup_steps=0.5 (half the steps: transformers 5.x
             has no `warmup_ratio` any more; a float below 1 in `warmup_steps` is the ratio)

Writes tests/fixtures/hf_trainer/<condition>/seed_<N>/ and one plain output
folder tests/fixtures/hf_trainer/single/ (baseline, seed 1). Afterwards the
model weights (model.safetensors) and training_args.bin are deleted (there
are no checkpoints, tokenizer or other binaries); the JSON and text files stay:
trainer_state.json, train_results.json, eval_results.json, all_results.json,
config.json (the model config), README.md (the model card).

Also writes tests/fixtures/hf_trainer/expected.json (per run: final eval_accuracy and
eval_loss from eval_results.json, and the keys of trainer_state.json, of its
log_history entries, and of each *_results.json) and versions.json.

    pip install --target /tmp/hf "transformers>=5,<6" torch accelerate
    PYTHONPATH=/tmp/hf python3 golden/fixtures_hf_trainer.py
"""

import json
import os
import pathlib
import platform
import shutil
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import accelerate  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import (  # noqa: E402
    BertConfig,
    BertForSequenceClassification,
    Trainer,
    TrainingArguments,
    set_seed,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/fixtures/hf_trainer"
CONDITIONS = {
    "baseline": {"learning_rate": 5e-5},
    "warmup": {"learning_rate": 5e-5, "warmup_steps": 0.5},
}
SEEDS = (1, 2, 3)
VOCAB, SEQ_LEN, N_TRAIN, N_EVAL = 50, 8, 32, 16
KEEP = {".json", ".md", ".txt", ".yaml", ".yml"}


class Toy(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids
        self.labels = (ids[:, 0] < VOCAB // 2).long()

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {
            "input_ids": self.ids[i],
            "attention_mask": torch.ones(SEQ_LEN, dtype=torch.long),
            "labels": self.labels[i],
        }


def data():
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, VOCAB, (N_TRAIN + N_EVAL, SEQ_LEN), generator=g)
    return Toy(ids[:N_TRAIN]), Toy(ids[N_TRAIN:])


def compute_metrics(p):
    preds = p.predictions[0] if isinstance(p.predictions, tuple) else p.predictions
    preds = np.argmax(preds, axis=1)
    return {"accuracy": (preds == p.label_ids).astype(np.float32).mean().item()}


def train_one(out_dir, seed, hparams):
    shutil.rmtree(out_dir, ignore_errors=True)
    train_ds, eval_ds = data()
    args = TrainingArguments(
        output_dir=str(out_dir),
        seed=seed,
        num_train_epochs=2,
        per_device_train_batch_size=8,
        per_device_eval_batch_size=8,
        eval_strategy="epoch",
        logging_steps=1,
        save_strategy="no",
        report_to=[],
        use_cpu=True,
        full_determinism=True,
        dataloader_num_workers=0,
        disable_tqdm=True,
        **hparams,
    )
    set_seed(seed)  # run_glue.py seeds before building the model
    config = BertConfig(
        vocab_size=VOCAB,
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=1,
        intermediate_size=8,
        max_position_embeddings=16,
        num_labels=2,
    )
    model = BertForSequenceClassification(config)
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=eval_ds,
        compute_metrics=compute_metrics,
    )
    train_result = trainer.train()
    metrics = train_result.metrics
    metrics["train_samples"] = len(train_ds)
    trainer.save_model()
    trainer.log_metrics("train", metrics)
    trainer.save_metrics("train", metrics)
    trainer.save_state()

    metrics = trainer.evaluate(eval_dataset=eval_ds)
    metrics["eval_samples"] = len(eval_ds)
    trainer.log_metrics("eval", metrics)
    trainer.save_metrics("eval", metrics)
    trainer.create_model_card(tasks="text-classification")

    removed = []
    for f in sorted(out_dir.rglob("*")):
        if f.is_file() and f.suffix not in KEEP:
            removed.append(f.relative_to(out_dir).as_posix())
            f.unlink()
    for d in sorted((d for d in out_dir.rglob("*") if d.is_dir()), reverse=True):
        if not any(d.iterdir()):
            d.rmdir()
    return removed


def describe(out_dir):
    state = json.loads((out_dir / "trainer_state.json").read_text())
    entry_keys = []
    for entry in state["log_history"]:
        keys = sorted(entry)
        if keys not in entry_keys:
            entry_keys.append(keys)
    results = {
        f.name: sorted(json.loads(f.read_text()))
        for f in sorted(out_dir.glob("*_results.json"))
    }
    ev = json.loads((out_dir / "eval_results.json").read_text())
    return {
        "eval_accuracy": ev["eval_accuracy"],
        "eval_loss": ev["eval_loss"],
        "trainer_state_keys": sorted(state),
        "log_history_entries": len(state["log_history"]),
        "log_history_entry_keys": entry_keys,
        "results_keys": results,
        "files": sorted(f.relative_to(out_dir).as_posix() for f in out_dir.rglob("*") if f.is_file()),
    }


def main():
    assert transformers.__version__.startswith("5."), transformers.__version__
    OUT.mkdir(parents=True, exist_ok=True)
    runs = []
    plan = [(f"{c}/seed_{s}", c, s) for c in CONDITIONS for s in SEEDS] + [("single", "baseline", 1)]
    for rel, cond, seed in plan:
        removed = train_one(OUT / rel, seed, CONDITIONS[cond])
        run = {"path": rel, "condition": cond, "seed": seed, "hparams": CONDITIONS[cond]}
        run.update(describe(OUT / rel))
        run["removed"] = removed
        runs.append(run)
        print(f"{rel}: eval_accuracy={run['eval_accuracy']} eval_loss={run['eval_loss']}", file=sys.stderr)
    (OUT / "expected.json").write_text(json.dumps({"runs": runs}, indent=2) + "\n")
    versions = {
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "accelerate": accelerate.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }
    (OUT / "versions.json").write_text(json.dumps(versions, indent=2) + "\n")


if __name__ == "__main__":
    main()
