#!/usr/bin/env python3
"""NNM's own elementary functions, written from spec/math.md (standard library only).

Python floats are IEEE 754 binary64 with round-to-nearest-even and no contraction, so following
the spec's steps gives the bits of Sources/CNNMKernels/math.c. nnm_reference.py uses cos, sin and
log from here; the Swift test MathReferenceTests compares every function with this file.

Usage:
  nnm_math.py FUNCTION HEX...    prints FUNCTION(x) as a binary64 hex float per argument
                                 (cos, sin, log, exp; tanhf takes and prints float32 bit
                                 patterns; pow takes BASE_HEX N pairs)
"""
import struct
import sys


F = float.fromhex  # binary64 constants are written as C99 hex floats, as in spec/math.md


def _bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def _from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


# ---- double-double arithmetic (spec/math.md §2) ----

def two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def fast_two_sum(a, b):
    s = a + b
    return s, b - (s - a)


def two_prod(a, b):
    ca, cb = 134217729.0 * a, 134217729.0 * b
    ah = ca - (ca - a)
    al = a - ah
    bh = cb - (cb - b)
    bl = b - bh
    p = a * b
    return p, (((ah * bh - p) + ah * bl) + al * bh) + al * bl


def dd_add(x, y):
    s = two_sum(x[0], y[0])
    t = two_sum(x[1], y[1])
    s = fast_two_sum(s[0], s[1] + t[0])
    return fast_two_sum(s[0], s[1] + t[1])


def dd_add_d(x, y):
    s = two_sum(x[0], y)
    return fast_two_sum(s[0], s[1] + x[1])


def dd_mul(x, y):
    p = two_prod(x[0], y[0])
    return fast_two_sum(p[0], p[1] + ((x[0] * y[1]) + (x[1] * y[0])))


def dd_mul_d(x, y):
    p = two_prod(x[0], y)
    return fast_two_sum(p[0], p[1] + x[1] * y)


def dd_div(x, y):
    q1 = x[0] / y[0]
    r = dd_add(x, dd_mul_d(y, -q1))
    q2 = r[0] / y[0]
    r = dd_add(r, dd_mul_d(y, -q2))
    q3 = r[0] / y[0]
    return dd_add_d(fast_two_sum(q1, q2), q3)


def dd_horner(z, coefficients):
    p = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        p = dd_add(dd_mul(p, z), c)
    return p


def round_whole(x):
    return (x + F("0x1.8p52")) - F("0x1.8p52")


def reduce(x, k, c1, c2, c3):
    p1, p2 = two_prod(k, c1), two_prod(k, c2)
    r = two_sum(x, -p1[0])
    r = dd_add_d(r, -p1[1])
    r = dd_add_d(r, -p2[0])
    r = dd_add_d(r, -p2[1])
    return dd_add_d(r, -(k * c3))


def _h(*pairs):
    return [(float.fromhex(a), float.fromhex(b)) for a, b in pairs]


SIN = _h(("0x1p+0", "0"), ("-0x1.5555555555555p-3", "-0x1.5555555555555p-57"),
         ("0x1.1111111111111p-7", "0x1.1111111111111p-63"), ("-0x1.a01a01a01a01ap-13", "-0x1.a01a01a01a01ap-73"),
         ("0x1.71de3a556c734p-19", "-0x1.c154f8ddc6c00p-73"), ("-0x1.ae64567f544e4p-26", "0x1.c062e06d1f209p-80"),
         ("0x1.6124613a86d09p-33", "0x1.f28e0cc748ebep-87"), ("-0x1.ae7f3e733b81fp-41", "-0x1.1d8656b0ee8cbp-97"),
         ("0x1.952c77030ad4ap-49", "0x1.ac981465ddc6cp-103"), ("-0x1.2f49b46814157p-57", "-0x1.2650f61dbdcb4p-112"),
         ("0x1.71b8ef6dcf572p-66", "-0x1.d043ae40c4647p-120"), ("-0x1.761b41316381ap-75", "0x1.3423c7d91404fp-130"),
         ("0x1.3f3ccdd165fa9p-84", "-0x1.58ddadf344487p-139"), ("-0x1.d1ab1c2dccea3p-94", "-0x1.054d0c78aea14p-149"),
         ("0x1.259f98b4358adp-103", "0x1.eaf8c39dd9bc5p-157"))
COS = _h(("0x1p+0", "0"), ("-0x1p-1", "0"),
         ("0x1.5555555555555p-5", "0x1.5555555555555p-59"), ("-0x1.6c16c16c16c17p-10", "0x1.f49f49f49f49fp-65"),
         ("0x1.a01a01a01a01ap-16", "0x1.a01a01a01a01ap-76"), ("-0x1.27e4fb7789f5cp-22", "-0x1.cbbc05b4fa99ap-76"),
         ("0x1.1eed8eff8d898p-29", "-0x1.2aec959e14c06p-83"), ("-0x1.93974a8c07c9dp-37", "-0x1.05d6f8a2efd1fp-92"),
         ("0x1.ae7f3e733b81fp-45", "0x1.1d8656b0ee8cbp-101"), ("-0x1.6827863b97d97p-53", "-0x1.eec01221a8b0bp-107"),
         ("0x1.e542ba4020225p-62", "0x1.ea72b4afe3c2fp-120"), ("-0x1.0ce396db7f853p-70", "0x1.aebcdbd20331cp-124"),
         ("0x1.f2cf01972f578p-80", "-0x1.9ada5fcc1ab14p-135"), ("-0x1.88e85fc6a4e5ap-89", "0x1.71c37ebd16540p-143"),
         ("0x1.0a18a2635085dp-98", "0x1.b9e2e28e1aa54p-153"))
ATANH = _h(("0x1p+0", "0"), ("0x1.5555555555555p-2", "0x1.5555555555555p-56"),
           ("0x1.999999999999ap-3", "-0x1.999999999999ap-57"), ("0x1.2492492492492p-3", "0x1.2492492492492p-57"),
           ("0x1.c71c71c71c71cp-4", "0x1.c71c71c71c71cp-58"), ("0x1.745d1745d1746p-4", "-0x1.745d1745d1746p-59"),
           ("0x1.3b13b13b13b14p-4", "-0x1.3b13b13b13b14p-58"), ("0x1.1111111111111p-4", "0x1.1111111111111p-60"),
           ("0x1.e1e1e1e1e1e1ep-5", "0x1.e1e1e1e1e1e1ep-61"), ("0x1.af286bca1af28p-5", "0x1.af286bca1af28p-59"),
           ("0x1.8618618618618p-5", "0x1.8618618618618p-59"), ("0x1.642c8590b2164p-5", "0x1.642c8590b2164p-60"),
           ("0x1.47ae147ae147bp-5", "-0x1.eb851eb851eb8p-61"), ("0x1.2f684bda12f68p-5", "0x1.2f684bda12f68p-59"),
           ("0x1.1a7b9611a7b96p-5", "0x1.1a7b9611a7b96p-61"), ("0x1.0842108421084p-5", "0x1.0842108421084p-60"),
           ("0x1.f07c1f07c1f08p-6", "-0x1.f07c1f07c1f08p-61"), ("0x1.d41d41d41d41dp-6", "0x1.0750750750750p-60"),
           ("0x1.bacf914c1bad0p-6", "-0x1.bacf914c1bad0p-60"), ("0x1.a41a41a41a41ap-6", "0x1.0690690690690p-60"),
           ("0x1.8f9c18f9c18fap-6", "-0x1.f3831f3831f38p-61"))
EXP = _h(("0x1p+0", "0"), ("0x1p+0", "0"), ("0x1p-1", "0"),
         ("0x1.5555555555555p-3", "0x1.5555555555555p-57"), ("0x1.5555555555555p-5", "0x1.5555555555555p-59"),
         ("0x1.1111111111111p-7", "0x1.1111111111111p-63"), ("0x1.6c16c16c16c17p-10", "-0x1.f49f49f49f49fp-65"),
         ("0x1.a01a01a01a01ap-13", "0x1.a01a01a01a01ap-73"), ("0x1.a01a01a01a01ap-16", "0x1.a01a01a01a01ap-76"),
         ("0x1.71de3a556c734p-19", "-0x1.c154f8ddc6c00p-73"), ("0x1.27e4fb7789f5cp-22", "0x1.cbbc05b4fa99ap-76"),
         ("0x1.ae64567f544e4p-26", "-0x1.c062e06d1f209p-80"), ("0x1.1eed8eff8d898p-29", "-0x1.2aec959e14c06p-83"),
         ("0x1.6124613a86d09p-33", "0x1.f28e0cc748ebep-87"), ("0x1.93974a8c07c9dp-37", "0x1.05d6f8a2efd1fp-92"),
         ("0x1.ae7f3e733b81fp-41", "0x1.1d8656b0ee8cbp-97"), ("0x1.ae7f3e733b81fp-45", "0x1.1d8656b0ee8cbp-101"),
         ("0x1.952c77030ad4ap-49", "0x1.ac981465ddc6cp-103"), ("0x1.6827863b97d97p-53", "0x1.eec01221a8b0bp-107"),
         ("0x1.2f49b46814157p-57", "0x1.2650f61dbdcb4p-112"), ("0x1.e542ba4020225p-62", "0x1.ea72b4afe3c2fp-120"),
         ("0x1.71b8ef6dcf572p-66", "-0x1.d043ae40c4647p-120"), ("0x1.0ce396db7f853p-70", "-0x1.aebcdbd20331cp-124"))
EXPM1 = [float.fromhex(h) for h in (
    "0x1p+0", "0x1p-1", "0x1.5555555555555p-3", "0x1.5555555555555p-5", "0x1.1111111111111p-7",
    "0x1.6c16c16c16c17p-10", "0x1.a01a01a01a01ap-13", "0x1.a01a01a01a01ap-16", "0x1.71de3a556c734p-19",
    "0x1.27e4fb7789f5cp-22", "0x1.ae64567f544e4p-26", "0x1.1eed8eff8d898p-29", "0x1.6124613a86d09p-33",
    "0x1.93974a8c07c9dp-37")]
NAN, INF = float("nan"), float("inf")


def _sin_or_cos(x, which):
    if not (-F("0x1p30") <= x <= F("0x1p30")):
        return NAN
    if x == 0:
        return 1.0 if which else x
    k = round_whole(x * F("0x1.45f306dc9c883p-1"))
    r = reduce(x, k, F("0x1.921fb54442d18p+0"), F("0x1.1a62633145c07p-54"), -F("0x1.f1976b7ed8fbcp-110"))
    z = dd_mul(r, r)
    quadrant = (int(k) + which) & 3
    value = dd_horner(z, COS) if quadrant & 1 else dd_mul(r, dd_horner(z, SIN))
    return -value[0] if quadrant & 2 else value[0]


def sin(x):
    return _sin_or_cos(x, 0)


def cos(x):
    return _sin_or_cos(x, 1)


def log(x):
    if x != x or x < 0:
        return NAN
    if x == 0:
        return -INF
    if x == INF:
        return x
    e = 0
    if x < F("0x1p-1022"):
        x *= F("0x1p54")
        e = -54
    b = _bits(x)
    e += (b >> 52) - 1023
    m = _from_bits((b & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000)
    if m > F("0x1.6a09e667f3bcdp+0"):
        m *= 0.5
        e += 1
    s = dd_div((m - 1.0, 0.0), two_sum(m, 1.0))
    series = dd_mul(s, dd_horner(dd_mul(s, s), ATANH))
    log_m = (2.0 * series[0], 2.0 * series[1])
    k = float(e)
    k_ln2 = dd_add_d(two_prod(k, F("0x1.62e42fefa39efp-1")), k * F("0x1.abc9e3b39803fp-56"))
    return dd_add(k_ln2, log_m)[0]


def _power_of_two(n):
    return _from_bits((n + 1023) << 52)


def exp(x):
    if x != x:
        return x
    if x > F("0x1.62e42fefa39efp+9"):
        return INF
    if x < -F("0x1.74910d52d3052p+9"):
        return 0.0
    k = round_whole(x * F("0x1.71547652b82fep+0"))
    r = reduce(x, k, F("0x1.62e42fefa39efp-1"), F("0x1.abc9e3b39803fp-56"), F("0x1.7b57a079a1934p-111"))
    value = dd_horner(r, EXP)[0]
    n = int(k)
    half = int(n / 2)  # truncates toward zero, as C's n / 2
    return (value * _power_of_two(half)) * _power_of_two(n - half)


def pow_whole(base, n):
    result, square = (1.0, 0.0), (base, 0.0)
    while n != 0:
        if n & 1:
            result = dd_mul(result, square)
        n >>= 1
        if n == 0:
            break
        square = dd_mul(square, square)
        if square[0] == 0 or square[0] - square[0] != 0:
            return result[0] * square[0]
    return result[0]


def _float32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _expm1_small(y):
    k = round_whole(y * F("0x1.71547652b82fep+0"))
    r = (y - k * F("0x1.62e42feep-1")) - k * F("0x1.a39ef35793c76p-33")
    p = EXPM1[13]
    for c in reversed(EXPM1[:13]):
        p = p * r + c
    scale = _power_of_two(int(k))
    return scale * (r * p) + (scale - 1.0)


def tanhf(x):
    """x is a float32 value (as a Python float); the result is the float32 value."""
    if x != x or x == 0:
        return x
    a = -x if x < 0 else x
    if a >= 9.125:
        return -1.0 if x < 0 else 1.0
    m = _expm1_small(2.0 * a)
    t = m / (m + 2.0)
    return _float32(-t if x < 0 else t)


def _main(argv):
    name, args = argv[0], argv[1:]
    if name == "tanhf":
        for a in args:
            x = struct.unpack("<f", struct.pack("<I", int(a, 16)))[0]
            print("%08x" % struct.unpack("<I", struct.pack("<f", tanhf(x)))[0])
    elif name == "pow":
        for b, n in zip(args[0::2], args[1::2]):
            print(float.hex(pow_whole(float.fromhex(b), int(n))))
    else:
        f = {"cos": cos, "sin": sin, "log": log, "exp": exp}[name]
        for a in args:
            print(float.hex(f(float.fromhex(a))))


if __name__ == "__main__":
    _main(sys.argv[1:])
