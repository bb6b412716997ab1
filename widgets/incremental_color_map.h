#pragma once
/// A QCPColorMap that recolours only the image columns of cells loaded since the last draw.
///
/// QCPColorMap recolours every cell whenever any cell changes (and, without interpolation,
/// oversamples maps under ~100 cells a side and rescales the image). That is a full recompute
/// per new column. This base keeps QCPColorMapData as the cell store (so QCustomPlot's
/// coordinates, selection and the QCPColorScale link work as usual) but overrides
/// updateMapImage(): cells copied with copyColumns() are recoloured as one pixel column each,
/// the rest of the image is left alone. A new gradient, data range or scale type still
/// recolours everything, as it must. The image is exactly cells x rows; drawing it stretched
/// without smoothing gives crisp rows.
///
/// A subclass attaches its own grid type and answers the hooks below from it; it sizes
/// data() and sets its ranges, then calls copyAllCells() or copyColumns().
///
/// Threading: GUI thread only.

#include <qcustomplot.h>

#include <vector>

namespace flowscope {

class IncrementalColorMap : public QCPColorMap {
    Q_OBJECT
  public:
    IncrementalColorMap(QCPAxis* keyAxis, QCPAxis* valueAxis);

    /// Detaches the grid and drops every cell and the image.
    void clearMap();

    /// Pixel columns recoloured by the last draw (the whole width after a rebuild, 0 if none).
    int lastRecolouredColumns() const { return lastRecoloured_; }

  protected:
    /// The attached grid's shape, read live so a grid resized without a reload is not drawn;
    /// 0 when no grid is attached.
    virtual int gridCells() const = 0;
    virtual int gridRows() const = 0;
    /// Row r of the attached grid: gridCells() values, by cell.
    virtual const float* gridRow(int r) const = 0;
    virtual float gridValue(int k, int r) const = 0;
    /// Forgets the attached grid, so gridCells() and gridRows() answer 0.
    virtual void detachGrid() = 0;
    /// Turns one line of cell values into what the gradient is given, in place. Nothing to do
    /// unless a subclass's scale cannot show some values.
    virtual void prepareForGradient(double* values, std::size_t count) const;

    /// Copies every cell of the attached grid into data() (already sized to its shape); the
    /// whole image is recoloured at next draw.
    void copyAllCells();
    /// Copies cells [k0, k1] of the attached grid; only those image columns are recoloured at
    /// next draw. Ignored if data() no longer matches the grid's shape.
    void copyColumns(int k0, int k1);

    void updateMapImage() override;

  private:
    void colourColumn(int k, int rows);
    void colourAll(int cells, int rows);
    void resetDirty();

    int dirtyFirst_ = 1;
    int dirtyLast_ = 0;
    bool fullPending_ = true;
    int lastRecoloured_ = 0;
    std::vector<double> line_;
    std::vector<QRgb> rgb_;
};

}  // namespace flowscope
