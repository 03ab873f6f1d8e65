#pragma once
// Pictures as matrices, for image_demo: an image file read as a grey matrix, a matrix written back as a PNG.
//
// A picture h pixels high and w wide is the h×w matrix of its grey levels, row 0 at the top, entries in [0, 1]
// (0 black, 1 white). Reading and writing go through stb_image and stb_image_write (Debian's libstb-dev),
// which read PNG, PGM/PPM (binary), JPEG, BMP, GIF, TGA and PSD. A colour picture becomes grey by the luma of
// ITU-R BT.601, 0.299·R + 0.587·G + 0.114·B; an alpha channel is ignored.
//
// Every error is a std::runtime_error that names the file and says what is wrong:
//     photo.png: cannot open the file (No such file or directory)
//     notes.txt: not an image stb_image can read (unknown image type); it reads PNG, PGM/PPM, JPEG, ...
//     cut.png: the image data is damaged or cut short (stb_image: outofdata)
//     deep.png: 16 bits per channel; read_image takes 8-bit images (save it with 8 bits per channel)
//     huge.png: 100000x100000 pixels is more than read_image takes (16777216 pixels, 4096x4096): scale it down first
#include <cstddef>
#include <filesystem>
#include <vector>

#include "autodiff/matrix.hpp"

namespace tapegrad {

// The largest picture read_image takes, in pixels (4096×4096). A full SVD of the picture, LAPACK's reference,
// needs about 5 copies of it in doubles (0.7 GB at this size) and minutes: beyond it, scale the picture down.
constexpr std::size_t max_image_pixels = std::size_t{4096} * 4096;

// The picture in the file as grey levels in [0, 1] (8-bit level / 255). Checks the size from the file's header
// before decoding anything, so a huge picture is refused before any memory is taken for it.
Matrix read_image(const std::filesystem::path& path);

// Writes the matrix as an 8-bit grey PNG: each entry clamped to [0, 1] (a low-rank reconstruction overshoots a
// little at edges) and rounded to the nearest of 0, 1/255, ..., 1, so read_image gives back round(255·x)/255.
// Throws std::invalid_argument for an empty matrix or a NaN entry, std::runtime_error naming the path if writing
// fails.
void write_png(const Matrix& grey, const std::filesystem::path& path);

// Pictures side by side, left to right, `gap` white pixels apart and around, on a white ground, top-aligned; each
// shrunk by the same whole factor (averaging factor×factor blocks) so that none is wider or higher than
// max_side. Throws std::invalid_argument for no pictures or an empty one.
Matrix contact_sheet(const std::vector<Matrix>& pictures, std::size_t max_side = 320, std::size_t gap = 8);

}  // namespace tapegrad
