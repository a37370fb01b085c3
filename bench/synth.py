"""Write a synthetic corpus of Indonesian government news articles for benchmarks.

    python bench/synth.py OUT_DIR --articles 8000 [--seed 7]

Each article is built from templates over the real gazetteer (kg/lexicons/regencies.csv) and lists of
common Indonesian names, so the pipeline reads it like a real one: a local government, an award or an
agreement, officials with offices, quotes and JKN figures. The same seed gives the same corpus.
"""
from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

from kg.lexicon import load_lexicon

GIVEN = ["Agus", "Budi", "Siti", "Dewi", "Rahmat", "Hendra", "Yusuf", "Rina", "Sri", "Joko", "Wahyu", "Fitri",
         "Ahmad", "Nur", "Indah", "Bambang", "Eko", "Lestari", "Taufik", "Yuliana", "Arif", "Ratna", "Dimas",
         "Putri", "Hadi", "Maya", "Irwan", "Sari", "Andi", "Citra", "Fajar", "Gita", "Hasan", "Intan", "Kurnia"]
FAMILY = ["Santoso", "Wijaya", "Saputra", "Hidayat", "Kusuma", "Nugroho", "Pratama", "Setiawan", "Siregar",
          "Harahap", "Lubis", "Sinaga", "Wibowo", "Rahmawati", "Susanto", "Gunawan", "Purnomo", "Halim",
          "Maharani", "Permana", "Sitompul", "Pangaribuan", "Tanjung", "Nasution", "Firmansyah", "Utami"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
AWARDS = [("Universal Health Coverage (UHC) Awards", "BPJS Kesehatan", ["Utama", "Madya", "Pratama"]),
          ("Piala Adipura", "Kementerian Lingkungan Hidup dan Kehutanan (KLHK)", []),
          ("predikat Zona Hijau", "Ombudsman RI", []),
          ("penghargaan Kabupaten Layak Anak (KLA)", "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak (KemenPPPA)",
           ["Pratama", "Madya", "Nindya", "Utama"])]
UNITS = ["Dinas Kesehatan (Dinkes)", "Dinas Sosial (Dinsos)", "Dinas Pendidikan (Disdik)",
         "Badan Perencanaan Pembangunan Daerah (Bappeda)"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def article(i: int, rng: random.Random, regencies: list) -> str:
    r = rng.choice(regencies)
    kota = r.kind == "kota"
    gov_long, gov_short = ("Pemerintah Kota", "Pemkot") if kota else ("Pemerintah Kabupaten", "Pemkab")
    head = "Wali Kota" if kota else "Bupati"
    place = f"{'Kota' if kota else 'Kabupaten'} {r.name}"
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    event = published - timedelta(days=1)
    day = DAYS[event.weekday()]
    leader, deputy, unit_head, branch_head = (person(rng) for _ in range(4))
    unit = rng.choice(UNITS)
    unit_short = unit.split("(")[1].rstrip(")")
    award, giver, grades = rng.choice(AWARDS)
    grade = f" kategori {rng.choice(grades)}" if grades else ""
    year = event.year
    participants = rng.randrange(40_000, 900_000)
    share = round(rng.uniform(90, 100), 2)
    lines = [
        f"{gov_short} {r.name} Raih {award.split('(')[0].strip()} {year}",
        "",
        f"{r.name.upper()} | warta{i % 50}.id - {gov_long} ({gov_short}) {r.name} meraih {award} {year}{grade} "
        f"dari {giver}, {day} ({event.day}/{event.month}/{event.year}).",
        "",
        f"Penghargaan itu diterima langsung {head} {r.name} {leader} di Jakarta. "
        f"\"Ini hasil kerja bersama seluruh warga,\" ujar {leader.split()[0]}.",
        "",
        f"Kepala {unit} {gov_short} {r.name}, {unit_head}, mengatakan per 1 {MONTHS[event.month - 1]} {year} "
        f"sebanyak {participants:,} jiwa atau {share:.2f} persen penduduk {place} ".replace(",", "#")
        .replace(".", ",").replace("#", ".") + "telah terdaftar sebagai peserta JKN.",
        "",
        f"Pada kesempatan yang sama, {gov_short} {r.name} dan BPJS Kesehatan Cabang {r.name} menandatangani "
        f"nota kesepahaman (MoU) Jaminan Kesehatan Nasional. MoU itu ditandatangani Wakil {head} {r.name} "
        f"{deputy} dan Kepala BPJS Kesehatan Cabang {r.name}, {branch_head}, {day} ({event.day}/{event.month}/{event.year}).",
        "",
        f"{deputy} menambahkan, kerja sama itu akan terus diperkuat. Menurut {unit_head.split()[0]}, "
        f"{unit_short} siap mendukung program tersebut.",
        "",
        f"Baca Juga: {head} {rng.choice(regencies).name} Tinjau Pasar",
        "",
        "Editor : Redaksi",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    regencies = sorted(load_lexicon().regencies.values(), key=lambda r: r.code)
    args.out.mkdir(parents=True, exist_ok=True)
    for i in range(args.articles):
        (args.out / f"synth_{i:06d}.txt").write_text(article(i, rng, regencies), encoding="utf-8")
    print(f"wrote {args.articles} articles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
