#!/usr/bin/env python3
"""Independent reference for KvGrid's engine tests: HF transformers' eager Llama / Qwen2 forward, written
from the transformers source in plain PyTorch (Debian's python3-torch), without any KV cache: every step
recomputes the whole sequence. Reads a HF folder (config.json, safetensors single or sharded).

usage: hf_reference.py MODEL_DIR DTYPE < requests.jsonl > results.jsonl
  request: {"ids": [...], "max_new_tokens": N}            -> {"ids": [generated], "logits": [[first rows...]]?}
  request: {"ids": [...], "logits": true}                  -> {"logits": [[float32 logits of every position]]}
"""
import json, math, os, struct, sys
import torch

DT = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}

def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        raw = bytearray(data[b:end])
        dt = DT[e["dtype"]]
        if dt == torch.bfloat16:  # torch 1.13 frombuffer lacks bf16: go through int16
            t = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16) if raw else torch.empty(0, dtype=dt)
        else:
            t = torch.frombuffer(raw, dtype=dt) if raw else torch.empty(0, dtype=dt)
        out[name] = t.reshape(e["shape"]).clone()
    return out

def load(model_dir):
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        w = read_safetensors(single)
    else:
        idx = json.load(open(os.path.join(model_dir, "model.safetensors.index.json")))
        w = {}
        for shard in sorted(set(idx["weight_map"].values())):
            w.update(read_safetensors(os.path.join(model_dir, shard)))
    return cfg, w

def inv_freq(cfg):
    heads = cfg["num_attention_heads"]
    dim = cfg.get("head_dim") or cfg["hidden_size"] // heads
    base = cfg.get("rope_theta", 10000.0)
    inv = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    rs = cfg.get("rope_scaling")
    if rs and (rs.get("rope_type") or rs.get("type")) == "llama3":
        factor, low, high, old = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"], rs["original_max_position_embeddings"]
        low_wl, high_wl = old / low, old / high
        wavelen = 2 * math.pi / inv
        inv_l = torch.where(wavelen > low_wl, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * inv_l / factor + smooth * inv_l
        medium = ~(wavelen < high_wl) * ~(wavelen > low_wl)
        inv = torch.where(medium, smoothed, inv_l)
    return inv

def rms(x, w, eps):
    dt = x.dtype
    h = x.to(torch.float32)
    var = h.pow(2).mean(-1, keepdim=True)
    h = h * torch.rsqrt(var + eps)
    return w * h.to(dt)

def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)

def forward(cfg, w, ids, dtype):
    qwen = cfg["architectures"][0] == "Qwen2ForCausalLM"
    H, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    kvh = cfg.get("num_key_value_heads", nh)
    hd = cfg.get("head_dim") or H // nh
    eps = cfg.get("rms_norm_eps", 1e-6)
    L = len(ids)
    x = w["model.embed_tokens.weight"][torch.tensor(ids)].unsqueeze(0)
    pos = torch.arange(L)[None, :].float()
    freqs = (inv_freq(cfg)[None, :, None].float() @ pos[:, None, :]).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos().to(dtype)[:, None], emb.sin().to(dtype)[:, None]
    mask = torch.full((L, L), torch.finfo(dtype).min, dtype=dtype).triu(1)[None, None]
    lin = lambda t, p: torch.nn.functional.linear(t, w[p + ".weight"], w.get(p + ".bias"))
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = rms(x, w[p + "input_layernorm.weight"], eps)
        q = lin(h, p + "self_attn.q_proj").view(1, L, nh, hd).transpose(1, 2)
        k = lin(h, p + "self_attn.k_proj").view(1, L, kvh, hd).transpose(1, 2)
        v = lin(h, p + "self_attn.v_proj").view(1, L, kvh, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        g = nh // kvh
        k = k[:, :, None].expand(1, kvh, g, L, hd).reshape(1, nh, L, hd)
        v = v[:, :, None].expand(1, kvh, g, L, hd).reshape(1, nh, L, hd)
        a = torch.matmul(q, k.transpose(2, 3)) * hd ** -0.5 + mask
        a = torch.softmax(a, dim=-1, dtype=torch.float32).to(dtype)
        o = torch.matmul(a, v).transpose(1, 2).reshape(1, L, nh * hd)
        x = x + lin(o, p + "self_attn.o_proj")
        h = rms(x, w[p + "post_attention_layernorm.weight"], eps)
        x = x + lin(torch.nn.functional.silu(lin(h, p + "mlp.gate_proj")) * lin(h, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = rms(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"]
    return torch.nn.functional.linear(x, head)[0].float()

def main():
    model_dir, dtype_name = sys.argv[1], sys.argv[2]
    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[dtype_name]
    cfg, w = load(model_dir)
    w = {k: v.to(dtype) for k, v in w.items()}
    eos = cfg.get("eos_token_id")
    gen_path = os.path.join(model_dir, "generation_config.json")
    if os.path.exists(gen_path):
        eos = json.load(open(gen_path)).get("eos_token_id", eos)
    eos = set(eos if isinstance(eos, list) else ([] if eos is None else [eos]))
    torch.set_grad_enabled(False)
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        ids = list(req["ids"])
        if req.get("logits"):
            print(json.dumps({"logits": forward(cfg, w, ids, dtype).tolist()}))
            continue
        out = []
        for _ in range(req["max_new_tokens"]):
            nxt = int(torch.argmax(forward(cfg, w, ids + out, dtype)[-1]))
            out.append(nxt)
            if nxt in eos:
                break
        print(json.dumps({"ids": out}))
        sys.stdout.flush()

if __name__ == "__main__":
    main()
