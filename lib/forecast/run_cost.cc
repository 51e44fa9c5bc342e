#include "forecast/run_cost.h"

#include "contract/mode.h"
#include "contract/params.h"

namespace rs::forecast {

RunCost run_cost(const nlohmann::json& params) {
  contract::TrainConfig config = contract::parse_train_config(params);
  const contract::DatasetConfig& data = config.dataset;
  int64_t samples = data.name == "synthetic" ? data.synthetic.n_train : data.max_train;
  nlohmann::json key = {
      {"dataset", {{"name", data.name}, {"path", data.path}, {"subset", samples > 0}}},
      {"model", config.model},
      {"batchnorm", config.batchnorm},
      {"width", config.width},
      {"kernel_size", config.kernel_size},
      {"batch_size", config.batch_size},
      {"augment", config.augment},
      {"tta", config.tta},
      {"precision", config.precision},
      {"channels_last", config.channels_last},
      {"tf32", config.tf32},
      {"cudnn_benchmark", config.cudnn_benchmark},
      {"mode", contract::mode_name(config.mode)},
      {"world_size", params.value("world_size", int64_t{1})},
  };
  if (data.name == "synthetic") {
    key["dataset"]["shape"] = {data.synthetic.n_test, data.synthetic.classes, data.synthetic.channels,
                               data.synthetic.size};
  }
  double epochs = static_cast<double>(config.epochs);
  return {key.dump(), samples > 0 ? epochs * static_cast<double>(samples) : epochs};
}

}  // namespace rs::forecast
