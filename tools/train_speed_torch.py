"""Training tokens/s in torch (CPU) for the same model shape, batch and LoRA recipe as `vireo lm train`, as a peer.

    python tools/train_speed_torch.py ../shared/models/llama2c/stories260K.bin --batch 8 --seq-len 128 --steps 20
Reads the llama2.c header for the shape; random weights (speed does not depend on them); prints tokens/s.
"""
import argparse
import struct
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM

ap = argparse.ArgumentParser()
ap.add_argument("model")
ap.add_argument("--batch", type=int, default=8)
ap.add_argument("--seq-len", type=int, default=128)
ap.add_argument("--steps", type=int, default=20)
ap.add_argument("--rank", type=int, default=8)
ap.add_argument("--threads", type=int, default=2)
a = ap.parse_args()
torch.set_num_threads(a.threads)
with open(a.model, "rb") as f:
    dim, hidden, layers, heads, kv, vocab, seq = struct.unpack("7i", f.read(28))
cfg = LlamaConfig(vocab_size=abs(vocab), hidden_size=dim, intermediate_size=hidden, num_hidden_layers=layers,
                  num_attention_heads=heads, num_key_value_heads=kv, max_position_embeddings=max(seq, a.seq_len),
                  tie_word_embeddings=vocab > 0)
torch.manual_seed(0)
model = get_peft_model(LlamaForCausalLM(cfg), LoraConfig(r=a.rank, lora_alpha=16, lora_dropout=0.05,
        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3, weight_decay=0.0)
ids = torch.randint(0, abs(vocab), (a.batch, a.seq_len))


def step():
    out = model(ids, labels=ids)
    out.loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    opt.zero_grad()


for _ in range(3):
    step()
t0 = time.perf_counter()
for _ in range(a.steps):
    step()
dt = time.perf_counter() - t0
print(f"torch {torch.__version__} threads {a.threads}: {a.steps * a.batch * a.seq_len / dt:.0f} tokens/s "
      f"(dim {dim}, {layers} layers, batch {a.batch}, seq {a.seq_len}, LoRA r {a.rank})")
