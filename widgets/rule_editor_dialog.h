#pragma once
/// Edits the alert rules as text, checked with the engine's own parser at every keystroke:
/// the first error is listed as "line:col: message" with its line highlighted, and OK stays
/// disabled until the text parses. A builder row above the text writes one rule line for those
/// who would rather pick than type.

#include <QDialog>

#include <vector>

#include "signals/window_spec.h"

class QComboBox;
class QDialogButtonBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace flowscope {

class RuleEditorDialog : public QDialog {
    Q_OBJECT
  public:
    /// `windows` are the engine's windows (EngineConfig::windows): the only ones a windowed
    /// signal may name.
    RuleEditorDialog(const QString& rulesText, std::vector<WindowSpec> windows,
                     QWidget* parent = nullptr);

    QString rulesText() const;
    bool isValid() const { return valid_; }
    /// "3:18: unknown signal 'ofi_zz' (...)", empty when the text parses.
    QString errorText() const;
    /// 1-based line of the highlighted error, 0 when none.
    int highlightedLine() const { return errorLine_; }

    /// The rule line the builder row currently describes (what "Add" appends).
    QString builtRule() const;

  private:
    void buildBuilderRow(QGridLayout* grid);
    void validate();
    void appendBuiltRule();
    void updateBuilderEnabled();

    std::vector<WindowSpec> windows_;
    bool valid_ = false;
    int errorLine_ = 0;

    QLineEdit* name_;
    QComboBox* signal_;
    QComboBox* window_;
    QComboBox* op_;
    QLineEdit* threshold_;
    QSpinBox* forSeconds_;
    QSpinBox* cooldownSeconds_;
    QComboBox* action_;
    QComboBox* side_;
    QLineEdit* size_;
    QSpinBox* expireSeconds_;
    QPlainTextEdit* text_;
    QLabel* status_;
    QDialogButtonBox* buttons_;
};

}  // namespace flowscope
