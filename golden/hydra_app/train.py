"""A fake training job for xreport's Hydra fixtures (hydra-core 1.3.2).

Writes results.json ({"test": {"acc": ..., "loss": ...}}) into its Hydra output
folder. The numbers are deterministic functions of model.name, optim.lr and the
seed, all multiples of 1/64 (exact in float32, short in decimal):

    acc  = A[model] + (2/64 if lr == 0.01 else 0) + (seed % 3)/64
    loss = L[model] - (2/64 if lr == 0.01 else 0) - (seed % 3)/64

    A = {baseline: 48/64, treatment: 52/64}, L = {baseline: 40/64, treatment: 32/64}

The seed is `seed`, else `training.seed`. Besides logging to Hydra's train.log,
the job prints one line `XREPORT_JOB {json}` on stdout for golden/fixtures_hydra.py.

    python golden/hydra_app/train.py -m model=baseline,treatment seed=1,2,3
"""

import json
import logging
import os

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

log = logging.getLogger(__name__)

BASE_ACC = {"baseline": 48, "treatment": 52}
BASE_LOSS = {"baseline": 40, "treatment": 32}


def score(model: str, lr: float, seed: int) -> dict:
    bonus = 2 if lr == 0.01 else 0
    jitter = seed % 3
    return {
        "acc": (BASE_ACC[model] + bonus + jitter) / 64,
        "loss": (BASE_LOSS[model] - bonus - jitter) / 64,
    }


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def main(cfg: DictConfig) -> None:
    seed = OmegaConf.select(cfg, "seed")
    if seed is None:
        seed = OmegaConf.select(cfg, "training.seed")
    model = cfg.model.name
    lr = float(cfg.optim.lr)
    test = score(model, lr, int(seed))

    hc = HydraConfig.get()
    out_dir = hc.runtime.output_dir
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"test": test}, f, indent=2)
        f.write("\n")

    log.info("model=%s lr=%s seed=%s max_steps=%s", model, lr, seed, cfg.training.max_steps)
    log.info("test.acc=%s test.loss=%s", test["acc"], test["loss"])
    record = {
        "output_dir": out_dir,
        "overrides": list(hc.overrides.task),
        "seed": int(seed),
        "model": model,
        "lr": lr,
        "test.acc": test["acc"],
        "test.loss": test["loss"],
    }
    print("XREPORT_JOB " + json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
