"""Conversions between WGS-84 and the offset datums of Chinese web maps.

Commercial maps in China (Amap/Gaode, Tencent) use GCJ-02, and Baidu adds a second offset
(BD-09). Residents report locations from phones and web maps in any of the three while grid
boundaries are stored in WGS-84, so coordinates are converted at the edge. Every function
accepts floats or numpy arrays (element-wise and vectorised: a million points convert in
well under a second) and returns the same kind.

The forward formulas and constants are the widely published ones, checked against
wandergis/coordtransform's index.js: Krasovsky a = 6378245.0, ee = 0.00669342162296594323,
Baidu's x_pi = pi * 3000 / 180, and no GCJ-02 shift outside a rough box around China.
The inverses are exact (to 1e-9 degrees) rather than the usual one-step approximations,
which are off by up to several metres for GCJ-02 and ~0.2 m for BD-09.
"""

from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast, get_args

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Coord = TypeVar("Coord", float, FloatArray)
CRS = Literal["wgs84", "gcj02", "bd09"]
SUPPORTED_CRS: tuple[str, ...] = get_args(CRS)

KRASOVSKY_A = 6378245.0
KRASOVSKY_EE = 0.00669342162296594323
X_PI = np.pi * 3000.0 / 180.0

# Rough box outside which GCJ-02 leaves coordinates unshifted (the common convention).
CHINA_LON = (72.004, 137.8347)
CHINA_LAT = (0.8293, 55.8271)

_TOLERANCE = 1e-9
_MAX_ITERATIONS = 20
# Converting in blocks keeps the many temporaries in cache: twice as fast for 1e6 points.
_BLOCK = 32768

_Converter = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]


def in_china(lon: Any, lat: Any) -> npt.NDArray[np.bool_]:
    """Element-wise: is the point inside the box where GCJ-02 applies?"""
    x, y = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    return (CHINA_LON[0] <= x) & (x <= CHINA_LON[1]) & (CHINA_LAT[0] <= y) & (y <= CHINA_LAT[1])


def _sin_cos(theta: FloatArray) -> tuple[FloatArray, FloatArray]:
    """sin and cos from one half-angle tangent.

    numpy evaluates float64 sin/cos with scalar libm calls (~25 ns a value here) but tan
    with SIMD code (~3 ns), and these trigonometric terms are most of the conversion cost.
    The identities are exact; the results agree with np.sin/np.cos to ~2e-16.
    """
    t = np.tan(0.5 * theta)
    scale = 1.0 / (1.0 + t * t)
    return 2.0 * t * scale, (1.0 - t * t) * scale


def _sin(theta: FloatArray) -> FloatArray:
    t = np.tan(0.5 * theta)
    return 2.0 * t / (1.0 + t * t)


def _triple_angle(sin_t: FloatArray) -> FloatArray:
    """sin(3t) from sin(t), saving another trigonometric evaluation."""
    return sin_t * (3.0 - 4.0 * sin_t * sin_t)


def _gcj02_offset(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The GCJ-02 shift in degrees at a WGS-84 position, ignoring the China box.

    This is the published formula, rearranged for speed: sin(pi x), sin(2 pi x),
    sin(6 pi x) and sin(pi y) come from multiple-angle identities on sin/cos(pi x / 3) and
    sin(pi y / 3), and every sine from `_sin_cos` (agreement with the textbook
    evaluation is ~1e-16 degrees).
    """
    x, y = lon - 105.0, lat - 35.0
    sin_x3, cos_x3 = _sin_cos(x * (np.pi / 3.0))
    sin_x = _triple_angle(sin_x3)
    sin_2x = 2.0 * sin_x * cos_x3 * (4.0 * cos_x3 * cos_x3 - 3.0)  # 2 sin(pi x) cos(pi x)
    shared = (20.0 * _triple_angle(sin_2x) + 20.0 * sin_2x) * (2.0 / 3.0)
    sin_y3 = _sin(y * (np.pi / 3.0))
    sqrt_abs_x = np.sqrt(np.abs(x))

    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x + shared
    d_lat += (20.0 * _triple_angle(sin_y3) + 40.0 * sin_y3) * (2.0 / 3.0)
    d_lat += (160.0 * _sin(y * (np.pi / 12.0)) + 320.0 * _sin(y * (np.pi / 30.0))) * (2.0 / 3.0)
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x + shared
    d_lon += (20.0 * sin_x + 40.0 * sin_x3) * (2.0 / 3.0)
    d_lon += (150.0 * _sin(x * (np.pi / 12.0)) + 300.0 * _sin(x * (np.pi / 30.0))) * (2.0 / 3.0)

    sin_lat, cos_lat = _sin_cos(lat * (np.pi / 180.0))
    magic = 1.0 - KRASOVSKY_EE * sin_lat * sin_lat
    sqrt_magic = np.sqrt(magic)
    d_lat *= 180.0 / (KRASOVSKY_A * (1.0 - KRASOVSKY_EE) * np.pi) * (magic * sqrt_magic)
    d_lon *= 180.0 / (KRASOVSKY_A * np.pi) * sqrt_magic / cos_lat
    return d_lon, d_lat


def _gcj02_shift(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    d_lon, d_lat = _gcj02_offset(lon, lat)
    return lon + d_lon, lat + d_lat


def _refine_inverse(
    forward: _Converter,
    lon: FloatArray,
    lat: FloatArray,
    guess_lon: FloatArray,
    guess_lat: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Solve forward(w) = (lon, lat) by fixed-point iteration w <- w - (forward(w) - target).

    Both offsets are tiny, smooth perturbations of the identity (the error shrinks ~100x a
    step), so a few steps reach the 1e-9 degree round trip; only points still outside the
    tolerance are iterated again. Inputs are 1-D arrays of equal length.
    """
    w_lon, w_lat = guess_lon.copy(), guess_lat.copy()
    active = np.arange(lon.size)
    for _ in range(_MAX_ITERATIONS):
        f_lon, f_lat = forward(w_lon[active], w_lat[active])
        e_lon, e_lat = f_lon - lon[active], f_lat - lat[active]
        w_lon[active] -= e_lon
        w_lat[active] -= e_lat
        active = active[(np.abs(e_lon) >= _TOLERANCE) | (np.abs(e_lat) >= _TOLERANCE)]
        if active.size == 0:
            break
    return w_lon, w_lat


def _wgs84_to_gcj02(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    inside = in_china(lon, lat)
    out_lon, out_lat = lon.copy(), lat.copy()
    d_lon, d_lat = _gcj02_offset(lon[inside], lat[inside])
    out_lon[inside] += d_lon
    out_lat[inside] += d_lat
    return out_lon, out_lat


def _gcj02_to_wgs84(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Exact inverse, starting from the one-step inverse most libraries stop at.

    That one-step result is off by up to a few metres, which is enough to move a point
    across a grid boundary, hence the refinement.
    """
    inside = in_china(lon, lat)
    out_lon, out_lat = lon.copy(), lat.copy()
    g_lon, g_lat = lon[inside], lat[inside]
    d_lon, d_lat = _gcj02_offset(g_lon, g_lat)
    w_lon, w_lat = _refine_inverse(_gcj02_shift, g_lon, g_lat, g_lon - d_lon, g_lat - d_lat)
    out_lon[inside], out_lat[inside] = w_lon, w_lat
    return out_lon, out_lat


def _gcj02_to_bd09(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * _sin(lat * X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * _sin_cos(lon * X_PI)[1]
    sin_theta, cos_theta = _sin_cos(theta)
    return z * cos_theta + 0.0065, z * sin_theta + 0.006


def _bd09_to_gcj02_closed_form(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The published inverse: it only undoes the forward formula to about 2e-6 degrees."""
    x, y = lon - 0.0065, lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * _sin(y * X_PI)
    theta = np.arctan2(y, x) - 0.000003 * _sin_cos(x * X_PI)[1]
    sin_theta, cos_theta = _sin_cos(theta)
    return z * cos_theta, z * sin_theta


def _bd09_to_gcj02(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Exact inverse of the forward formula, refined from the published closed form."""
    return _refine_inverse(_gcj02_to_bd09, lon, lat, *_bd09_to_gcj02_closed_form(lon, lat))


def _identity(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    return lon.copy(), lat.copy()


def _bd09_to_wgs84(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    return _gcj02_to_wgs84(*_bd09_to_gcj02(lon, lat))


def _wgs84_to_bd09(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    return _gcj02_to_bd09(*_wgs84_to_gcj02(lon, lat))


def _apply(convert: _Converter, lon: Coord, lat: Coord) -> tuple[Coord, Coord]:
    """Run a 1-D converter block by block over any input shape; floats in, floats out."""
    x, y = np.broadcast_arrays(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    flat_x, flat_y = x.ravel(), y.ravel()
    out_x, out_y = np.empty_like(flat_x), np.empty_like(flat_y)
    for start in range(0, flat_x.size, _BLOCK):
        block = slice(start, start + _BLOCK)
        out_x[block], out_y[block] = convert(flat_x[block], flat_y[block])
    if isinstance(lon, np.ndarray) or isinstance(lat, np.ndarray) or x.ndim > 0:
        result: tuple[object, object] = out_x.reshape(x.shape), out_y.reshape(y.shape)
    else:
        result = float(out_x[0]), float(out_y[0])
    return cast(tuple[Coord, Coord], result)


# --- Public API -------------------------------------------------------------------------


def wgs84_to_gcj02(lon: Coord, lat: Coord) -> tuple[Coord, Coord]:
    """WGS-84 to GCJ-02; points outside the China box are returned unchanged."""
    return _apply(_wgs84_to_gcj02, lon, lat)


def gcj02_to_wgs84(lon: Coord, lat: Coord) -> tuple[Coord, Coord]:
    """GCJ-02 to WGS-84, exact to 1e-9 degrees; points outside the China box are unchanged."""
    return _apply(_gcj02_to_wgs84, lon, lat)


def gcj02_to_bd09(lon: Coord, lat: Coord) -> tuple[Coord, Coord]:
    """GCJ-02 to BD-09. Applied everywhere (no China box), as the published formula is."""
    return _apply(_gcj02_to_bd09, lon, lat)


def bd09_to_gcj02(lon: Coord, lat: Coord) -> tuple[Coord, Coord]:
    """BD-09 to GCJ-02, the exact inverse of `gcj02_to_bd09` (to 1e-9 degrees)."""
    return _apply(_bd09_to_gcj02, lon, lat)


def wgs84_to_bd09(lon: Coord, lat: Coord) -> tuple[Coord, Coord]:
    """WGS-84 to BD-09, through GCJ-02."""
    return _apply(_wgs84_to_bd09, lon, lat)


def bd09_to_wgs84(lon: Coord, lat: Coord) -> tuple[Coord, Coord]:
    """BD-09 to WGS-84, through GCJ-02."""
    return _apply(_bd09_to_wgs84, lon, lat)


_TO_WGS84: dict[str, _Converter] = {
    "wgs84": _identity,
    "gcj02": _gcj02_to_wgs84,
    "bd09": _bd09_to_wgs84,
}
_FROM_WGS84: dict[str, _Converter] = {
    "wgs84": _identity,
    "gcj02": _wgs84_to_gcj02,
    "bd09": _wgs84_to_bd09,
}


def _converter(table: dict[str, _Converter], crs: str) -> _Converter:
    try:
        return table[crs]
    except KeyError:
        supported = ", ".join(SUPPORTED_CRS)
        message = f"Unknown coordinate system {crs!r}; expected one of {supported}."
        raise ValueError(message) from None


def to_wgs84(lon: Coord, lat: Coord, crs: str) -> tuple[Coord, Coord]:
    """Convert from the named coordinate system (one of SUPPORTED_CRS) to WGS-84."""
    return _apply(_converter(_TO_WGS84, crs), lon, lat)


def from_wgs84(lon: Coord, lat: Coord, crs: str) -> tuple[Coord, Coord]:
    """Convert from WGS-84 to the named coordinate system (one of SUPPORTED_CRS)."""
    return _apply(_converter(_FROM_WGS84, crs), lon, lat)
