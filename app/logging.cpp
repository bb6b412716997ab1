#include "logging.h"

Q_LOGGING_CATEGORY(lcFeed, "flowscope.feed")
Q_LOGGING_CATEGORY(lcUi, "flowscope.ui")
Q_LOGGING_CATEGORY(lcOrders, "flowscope.orders")
