// OLS with an intercept: exact fits, a hand-worked noisy fit, collinear and degenerate inputs.
#include <QtTest>

#include "analysis/least_squares.h"

using namespace flowscope;

class TestLeastSquares : public QObject {
    Q_OBJECT

  private slots:
    void exactLineIsRecovered() {
        const std::vector<double> x = {1, 2, 3, 4, 5};
        std::vector<double> y;
        for (double v : x)
            y.push_back(3.0 + 2.0 * v);
        const OlsFit fit = fitOls(y, {x});
        QVERIFY(fit.ok);
        QVERIFY(qAbs(fit.coefficients[0] - 3.0) < 1e-12);
        QVERIFY(qAbs(fit.coefficients[1] - 2.0) < 1e-12);
        QVERIFY(qAbs(fit.r2 - 1.0) < 1e-12);
    }

    void noisyLineMatchesHandComputation() {
        // x = 0,1,2,3; y = 1,3,2,5: xbar 1.5, ybar 2.75, Sxy = 5.5, Sxx = 5, b = 1.1, a = 1.1,
        // fitted 1.1, 2.2, 3.3, 4.4; SSR = .01+.64+1.69+.36 = 2.7; SST = 8.75; R^2 = 1 - 2.7/8.75.
        const OlsFit fit = fitOls(std::vector<double>{1, 3, 2, 5}, {{0, 1, 2, 3}});
        QVERIFY(fit.ok);
        QVERIFY(qAbs(fit.coefficients[1] - 1.1) < 1e-12);
        QVERIFY(qAbs(fit.coefficients[0] - 1.1) < 1e-12);
        QVERIFY(qAbs(fit.r2 - (1.0 - 2.7 / 8.75)) < 1e-12);
    }

    void twoRegressorsExactPlane() {
        const std::vector<double> x1 = {1, 2, 3, 4, 5, 6}, x2 = {2, 1, 4, 3, 6, 5};
        std::vector<double> y;
        for (std::size_t i = 0; i < x1.size(); ++i)
            y.push_back(1.0 - 0.5 * x1[i] + 4.0 * x2[i]);
        const OlsFit fit = fitOls(y, {x1, x2});
        QVERIFY(fit.ok);
        QCOMPARE(fit.rank, std::size_t{3});
        QVERIFY(qAbs(fit.coefficients[0] - 1.0) < 1e-10);
        QVERIFY(qAbs(fit.coefficients[1] + 0.5) < 1e-10);
        QVERIFY(qAbs(fit.coefficients[2] - 4.0) < 1e-10);
    }

    void collinearAndZeroColumnsAreDropped() {
        const std::vector<double> x = {1, 2, 3, 4}, twice = {2, 4, 6, 8}, zero = {0, 0, 0, 0};
        const OlsFit fit = fitOls(std::vector<double>{2, 4, 6, 8.5}, {x, twice, zero});
        QVERIFY(fit.ok);
        QCOMPARE(fit.rank, std::size_t{2});  // intercept and x
        QCOMPARE(fit.coefficients[2], 0.0);
        QCOMPARE(fit.coefficients[3], 0.0);
        // Same R^2 as the single regression.
        QVERIFY(qAbs(fit.r2 - fitOls(std::vector<double>{2, 4, 6, 8.5}, {x}).r2) < 1e-12);
    }

    void degenerateInputsAreNotOk() {
        QVERIFY(!fitOls(std::vector<double>{1}, {{1}}).ok);              // too few observations
        QVERIFY(!fitOls(std::vector<double>{2, 2, 2}, {{1, 2, 3}}).ok);  // constant y: no SST
        QVERIFY(!fitOls(std::vector<double>{1, 2, 3}, {{1, 2}}).ok);     // ragged column
    }
};

QTEST_GUILESS_MAIN(TestLeastSquares)
#include "tst_least_squares.moc"
