/* The double-double coefficient tables of NNM's binary64 functions (spec/math.md §2): each entry
 * (hi, lo) is the nearest binary64 to the coefficient and the nearest binary64 to the remainder
 * (computed with 400-bit arithmetic; spec/reference/nnm_math.py holds the same numbers). One
 * copy for the scalar functions (math.c) and the kernels' vector ones (kernels.c), both through
 * dd_template.h. */
#ifndef NNM_MATH_COEFFICIENTS_H
#define NNM_MATH_COEFFICIENTS_H

/* (−1)^n/(2n+1)! and (−1)^n/(2n)!, n = 0…14, as dd (hi, lo). */
static const double nnm_sin_coefficients[15][2] = {
    { 0x1p+0, 0 },
    { -0x1.5555555555555p-3, -0x1.5555555555555p-57 },
    { 0x1.1111111111111p-7, 0x1.1111111111111p-63 },
    { -0x1.a01a01a01a01ap-13, -0x1.a01a01a01a01ap-73 },
    { 0x1.71de3a556c734p-19, -0x1.c154f8ddc6c00p-73 },
    { -0x1.ae64567f544e4p-26, 0x1.c062e06d1f209p-80 },
    { 0x1.6124613a86d09p-33, 0x1.f28e0cc748ebep-87 },
    { -0x1.ae7f3e733b81fp-41, -0x1.1d8656b0ee8cbp-97 },
    { 0x1.952c77030ad4ap-49, 0x1.ac981465ddc6cp-103 },
    { -0x1.2f49b46814157p-57, -0x1.2650f61dbdcb4p-112 },
    { 0x1.71b8ef6dcf572p-66, -0x1.d043ae40c4647p-120 },
    { -0x1.761b41316381ap-75, 0x1.3423c7d91404fp-130 },
    { 0x1.3f3ccdd165fa9p-84, -0x1.58ddadf344487p-139 },
    { -0x1.d1ab1c2dccea3p-94, -0x1.054d0c78aea14p-149 },
    { 0x1.259f98b4358adp-103, 0x1.eaf8c39dd9bc5p-157 },
};
static const double nnm_cos_coefficients[15][2] = {
    { 0x1p+0, 0 },
    { -0x1p-1, 0 },
    { 0x1.5555555555555p-5, 0x1.5555555555555p-59 },
    { -0x1.6c16c16c16c17p-10, 0x1.f49f49f49f49fp-65 },
    { 0x1.a01a01a01a01ap-16, 0x1.a01a01a01a01ap-76 },
    { -0x1.27e4fb7789f5cp-22, -0x1.cbbc05b4fa99ap-76 },
    { 0x1.1eed8eff8d898p-29, -0x1.2aec959e14c06p-83 },
    { -0x1.93974a8c07c9dp-37, -0x1.05d6f8a2efd1fp-92 },
    { 0x1.ae7f3e733b81fp-45, 0x1.1d8656b0ee8cbp-101 },
    { -0x1.6827863b97d97p-53, -0x1.eec01221a8b0bp-107 },
    { 0x1.e542ba4020225p-62, 0x1.ea72b4afe3c2fp-120 },
    { -0x1.0ce396db7f853p-70, 0x1.aebcdbd20331cp-124 },
    { 0x1.f2cf01972f578p-80, -0x1.9ada5fcc1ab14p-135 },
    { -0x1.88e85fc6a4e5ap-89, 0x1.71c37ebd16540p-143 },
    { 0x1.0a18a2635085dp-98, 0x1.b9e2e28e1aa54p-153 },
};

/* 1/(2n+1), n = 0…20, as dd. */
static const double nnm_atanh_coefficients[21][2] = {
    { 0x1p+0, 0 },
    { 0x1.5555555555555p-2, 0x1.5555555555555p-56 },
    { 0x1.999999999999ap-3, -0x1.999999999999ap-57 },
    { 0x1.2492492492492p-3, 0x1.2492492492492p-57 },
    { 0x1.c71c71c71c71cp-4, 0x1.c71c71c71c71cp-58 },
    { 0x1.745d1745d1746p-4, -0x1.745d1745d1746p-59 },
    { 0x1.3b13b13b13b14p-4, -0x1.3b13b13b13b14p-58 },
    { 0x1.1111111111111p-4, 0x1.1111111111111p-60 },
    { 0x1.e1e1e1e1e1e1ep-5, 0x1.e1e1e1e1e1e1ep-61 },
    { 0x1.af286bca1af28p-5, 0x1.af286bca1af28p-59 },
    { 0x1.8618618618618p-5, 0x1.8618618618618p-59 },
    { 0x1.642c8590b2164p-5, 0x1.642c8590b2164p-60 },
    { 0x1.47ae147ae147bp-5, -0x1.eb851eb851eb8p-61 },
    { 0x1.2f684bda12f68p-5, 0x1.2f684bda12f68p-59 },
    { 0x1.1a7b9611a7b96p-5, 0x1.1a7b9611a7b96p-61 },
    { 0x1.0842108421084p-5, 0x1.0842108421084p-60 },
    { 0x1.f07c1f07c1f08p-6, -0x1.f07c1f07c1f08p-61 },
    { 0x1.d41d41d41d41dp-6, 0x1.0750750750750p-60 },
    { 0x1.bacf914c1bad0p-6, -0x1.bacf914c1bad0p-60 },
    { 0x1.a41a41a41a41ap-6, 0x1.0690690690690p-60 },
    { 0x1.8f9c18f9c18fap-6, -0x1.f3831f3831f38p-61 },
};

/* 1/n!, n = 0…22, as dd. */
static const double nnm_exp_coefficients[23][2] = {
    { 0x1p+0, 0 },
    { 0x1p+0, 0 },
    { 0x1p-1, 0 },
    { 0x1.5555555555555p-3, 0x1.5555555555555p-57 },
    { 0x1.5555555555555p-5, 0x1.5555555555555p-59 },
    { 0x1.1111111111111p-7, 0x1.1111111111111p-63 },
    { 0x1.6c16c16c16c17p-10, -0x1.f49f49f49f49fp-65 },
    { 0x1.a01a01a01a01ap-13, 0x1.a01a01a01a01ap-73 },
    { 0x1.a01a01a01a01ap-16, 0x1.a01a01a01a01ap-76 },
    { 0x1.71de3a556c734p-19, -0x1.c154f8ddc6c00p-73 },
    { 0x1.27e4fb7789f5cp-22, 0x1.cbbc05b4fa99ap-76 },
    { 0x1.ae64567f544e4p-26, -0x1.c062e06d1f209p-80 },
    { 0x1.1eed8eff8d898p-29, -0x1.2aec959e14c06p-83 },
    { 0x1.6124613a86d09p-33, 0x1.f28e0cc748ebep-87 },
    { 0x1.93974a8c07c9dp-37, 0x1.05d6f8a2efd1fp-92 },
    { 0x1.ae7f3e733b81fp-41, 0x1.1d8656b0ee8cbp-97 },
    { 0x1.ae7f3e733b81fp-45, 0x1.1d8656b0ee8cbp-101 },
    { 0x1.952c77030ad4ap-49, 0x1.ac981465ddc6cp-103 },
    { 0x1.6827863b97d97p-53, 0x1.eec01221a8b0bp-107 },
    { 0x1.2f49b46814157p-57, 0x1.2650f61dbdcb4p-112 },
    { 0x1.e542ba4020225p-62, 0x1.ea72b4afe3c2fp-120 },
    { 0x1.71b8ef6dcf572p-66, -0x1.d043ae40c4647p-120 },
    { 0x1.0ce396db7f853p-70, -0x1.aebcdbd20331cp-124 },
};

#endif
