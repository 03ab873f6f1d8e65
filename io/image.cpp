#include "io/image.hpp"

// Debian's libstb-dev: the headers declare, libstb holds the code (its README.Debian: link it, define no
// STB_*_IMPLEMENTATION).
#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace tapegrad {

namespace {

using File = std::unique_ptr<std::FILE, decltype(&std::fclose)>;

std::runtime_error error(const std::filesystem::path& path, const std::string& what) {
    return std::runtime_error(path.string() + ": " + what);
}

std::string size_text(std::size_t w, std::size_t h) { return std::to_string(w) + "x" + std::to_string(h); }

void check_size(const std::filesystem::path& path, std::size_t width, std::size_t height) {
    if (width * height > max_image_pixels)
        throw error(path, size_text(width, height) + " pixels is more than read_image takes (" +
                              std::to_string(max_image_pixels) + " pixels, 4096x4096): scale it down first");
}

// A PNG's width and height from its header (the 8-byte signature, then the IHDR chunk: length, "IHDR", width and
// height big-endian), or 0×0 for another file. stb_image refuses a PNG whose pixels take 2^30 bytes or more as if
// it were no image at all ("unknown image type"): reading the size first lets such a picture be refused by its size.
std::pair<std::size_t, std::size_t> png_size(std::FILE* file) {
    unsigned char header[24] = {};
    const bool read = std::fread(header, 1, sizeof header, file) == sizeof header;
    std::rewind(file);
    if (!read || std::memcmp(header, "\x89PNG\r\n\x1a\n", 8) != 0 || std::memcmp(header + 12, "IHDR", 4) != 0) return {0, 0};
    const auto big_endian = [&](int at) {
        return std::size_t{header[at]} << 24 | std::size_t{header[at + 1]} << 16 | std::size_t{header[at + 2]} << 8 | header[at + 3];
    };
    return {big_endian(16), big_endian(20)};
}

}  // namespace

Matrix read_image(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw error(path, "is a directory, not an image");
    const File file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) throw error(path, "cannot open the file (" + std::string(std::strerror(errno)) + ")");
    if (std::filesystem::file_size(path, ec) == 0 && !ec) throw error(path, "the file is empty");

    // The header first: what the picture is and how large, before any pixel is decoded.
    const auto [png_width, png_height] = png_size(file.get());
    check_size(path, png_width, png_height);
    int w = 0, h = 0, channels = 0;
    if (!stbi_info_from_file(file.get(), &w, &h, &channels))
        throw error(path, "not an image stb_image can read (" + std::string(stbi_failure_reason()) +
                              "); it reads PNG, PGM/PPM, JPEG, BMP, GIF, TGA and PSD");
    if (stbi_is_hdr_from_file(file.get()))
        throw error(path, "a floating-point (HDR) image; read_image takes 8 bits per channel");
    if (stbi_is_16_bit_from_file(file.get()))
        throw error(path, "16 bits per channel; read_image takes 8-bit images (save it with 8 bits per channel)");
    const auto width = static_cast<std::size_t>(w), height = static_cast<std::size_t>(h);
    check_size(path, width, height);

    const std::unique_ptr<stbi_uc, decltype(&stbi_image_free)> pixels(
        stbi_load_from_file(file.get(), &w, &h, &channels, 0), &stbi_image_free);
    if (!pixels)
        throw error(path, "the image data is damaged or cut short (stb_image: " + std::string(stbi_failure_reason()) + ")");

    // 1 channel grey, 2 grey and alpha, 3 RGB, 4 RGB and alpha.
    const auto n = static_cast<std::size_t>(channels);
    Matrix grey(height, width);
    for (std::size_t p = 0; p < width * height; ++p) {
        const stbi_uc* px = pixels.get() + p * n;
        const double level = n >= 3 ? 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2] : double(px[0]);
        grey.data()[p] = level / 255.0;
    }
    return grey;
}

void write_png(const Matrix& grey, const std::filesystem::path& path) {
    if (grey.empty()) throw std::invalid_argument("write_png: the picture is empty (" + to_string(grey.shape()) + ")");
    std::vector<unsigned char> bytes(grey.size());
    for (std::size_t p = 0; p < grey.size(); ++p) {
        const double x = grey.data()[p];
        if (std::isnan(x)) throw std::invalid_argument("write_png: entry " + std::to_string(p) + " of the picture is NaN");
        bytes[p] = static_cast<unsigned char>(std::lround(255.0 * std::clamp(x, 0.0, 1.0)));
    }
    const int w = static_cast<int>(grey.cols()), h = static_cast<int>(grey.rows());
    if (!stbi_write_png(path.c_str(), w, h, 1, bytes.data(), w)) throw error(path, "cannot write the PNG file");
}

Matrix contact_sheet(const std::vector<Matrix>& pictures, std::size_t max_side, std::size_t gap) {
    if (pictures.empty()) throw std::invalid_argument("contact_sheet: no pictures");
    if (max_side == 0) throw std::invalid_argument("contact_sheet: max_side must be at least 1 pixel");
    std::size_t largest = 0;
    for (const Matrix& p : pictures) {
        if (p.empty()) throw std::invalid_argument("contact_sheet: a picture is empty (" + to_string(p.shape()) + ")");
        largest = std::max({largest, p.rows(), p.cols()});
    }
    const std::size_t factor = (largest + max_side - 1) / max_side;  // ⌈largest / max_side⌉

    // Each picture shrunk: the mean of each factor×factor block (a block cut by the edge averages what it has).
    const auto shrink = [factor](const Matrix& p) {
        Matrix small((p.rows() + factor - 1) / factor, (p.cols() + factor - 1) / factor);
        for (std::size_t i = 0; i < small.rows(); ++i)
            for (std::size_t j = 0; j < small.cols(); ++j) {
                double sum = 0.0;
                std::size_t count = 0;
                for (std::size_t r = i * factor; r < std::min(p.rows(), (i + 1) * factor); ++r)
                    for (std::size_t c = j * factor; c < std::min(p.cols(), (j + 1) * factor); ++c, ++count) sum += p(r, c);
                small(i, j) = sum / double(count);
            }
        return small;
    };
    std::vector<Matrix> tiles;
    std::size_t height = 0, width = gap;
    for (const Matrix& p : pictures) {
        tiles.push_back(factor == 1 ? p : shrink(p));
        height = std::max(height, tiles.back().rows());
        width += tiles.back().cols() + gap;
    }
    Matrix sheet(height + 2 * gap, width, 1.0);  // white
    std::size_t left = gap;
    for (const Matrix& t : tiles) {
        for (std::size_t i = 0; i < t.rows(); ++i)
            for (std::size_t j = 0; j < t.cols(); ++j) sheet(gap + i, left + j) = t(i, j);
        left += t.cols() + gap;
    }
    return sheet;
}

}  // namespace tapegrad
