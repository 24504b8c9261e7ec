using TorchSharp;
var t = torch.ones(4, 4).matmul(torch.ones(4, 4));
Console.WriteLine(t.sum().item<float>());
