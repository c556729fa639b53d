"""Times prefill of a random-weight LlamaForCausalLM of stories110M's shape on CPU with Hugging Face transformers.

The peer for `vireo lm bench --synthetic-110m`: same shape (dim 768, 12 layers, 12 heads, hidden 2048, vocab 32000),
random weights, a 512-token prompt, full logits, best of several runs. Not run by CI; run it side by side with the
bench:   /work/venv/bin/python tools/hf_llama_prefill.py --threads 1 --tokens 512 --runs 3
"""
import argparse
import time

import torch
from transformers import LlamaConfig, LlamaForCausalLM

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--tokens", type=int, default=512)
p.add_argument("--runs", type=int, default=3)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
cfg = LlamaConfig(hidden_size=768, intermediate_size=2048, num_hidden_layers=12, num_attention_heads=12,
                  num_key_value_heads=12, vocab_size=32000, max_position_embeddings=1024, tie_word_embeddings=True)
model = LlamaForCausalLM(cfg).eval()
ids = torch.tensor([[1 + (i * 7919) % 31999 for i in range(a.tokens)]])
best = 0.0
with torch.inference_mode():
    for r in range(a.runs + 1):
        t0 = time.perf_counter()
        model(ids, use_cache=True)
        dt = time.perf_counter() - t0
        if r > 0:
            best = max(best, a.tokens / dt)
print(f"transformers {__import__('transformers').__version__} torch {torch.__version__}, {a.threads} thread(s): "
      f"prefill {best:.0f} tokens/s ({a.tokens}-token prompt, best of {a.runs})")
